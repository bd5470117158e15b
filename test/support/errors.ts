import { expect } from 'chai';
import type request from 'supertest';

/** Signs of leaked internals: stack frames, file paths, driver class names. */
export const INTERNALS = /\bat .+\(|node_modules|\/work\/|\.ts:\d+|Mongo[A-Z]\w*Error|CastError|stack/;

/**
 * The project's error answer: the status, a JSON body that is `{ error }` and nothing else, with
 * the code and a non-empty message, and no internals anywhere in the text.
 */
export function expectError(res: request.Response, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).to.equal(status);
  expect(res.headers['content-type']).to.match(/application\/json/);
  expect(res.body).to.have.all.keys('error');
  expect(res.body.error.code).to.equal(code);
  expect(res.body.error.message).to.be.a('string').with.length.greaterThan(0);
  expect(res.text).not.to.match(INTERNALS);
}

/**
 * The error `p` fails with, when it is a `type` (anything else it fails with is thrown on); a
 * promise that settles instead fails the test.
 */
export async function rejectionOf<E extends Error>(p: Promise<unknown>, type: abstract new (...args: any[]) => E): Promise<E> {
  try {
    await p;
  } catch (err) {
    if (err instanceof type) return err;
    throw err;
  }
  throw new Error(`expected a ${type.name}`);
}
