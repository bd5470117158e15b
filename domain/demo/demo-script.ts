import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Actor } from '../accounts/actor.js';
import { ManualClock } from '../../lib/clock.js';
import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { Stage } from '../../workflows/index.js';
import { addComment } from '../agreements/add-comment.js';
import { addLink } from '../agreements/add-link.js';
import { addRound } from '../agreements/add-round.js';
import { createAgreement, type CreateAgreementInput } from '../agreements/create-agreement.js';
import { recordSignature } from '../agreements/record-signature.js';
import { transitionAgreement } from '../agreements/transition-agreement.js';
import { updateAgreement, type AgreementChanges } from '../agreements/update-agreement.js';
import { prepareUpload, uploadDocument } from '../documents/upload-document.js';
import { demoTextPdf, type DemoTextOptions } from './demo-texts.js';

/** The legal drafter in whose name the demo history is written (signatures "recorded on behalf"). */
export const DEMO_DRAFTER: Actor = {
  id: 'demo-drafter',
  email: 'drafter@demo.pwni.local',
  name: 'Perancang Demo',
  role: 'drafter',
  unit: 'PWNI',
};

/**
 * Plays a believable history through the real use cases on a clock set back in time, so every
 * demo event has a backdated time and the hash chain is built exactly as in normal use.
 */
export class DemoScript {
  private readonly clock = new ManualClock('2016-01-01T00:00:00Z');
  private readonly ctx: DomainContext;

  constructor(ctx: DomainContext, private readonly actor: Actor = DEMO_DRAFTER) {
    this.ctx = { ...ctx, clock: this.clock };
  }

  at(iso: string): this {
    this.clock.set(iso);
    return this;
  }

  create(input: CreateAgreementInput): Promise<AgreementRecord> {
    return createAgreement(this.ctx, this.actor, input);
  }

  async patch(a: AgreementRecord, changes: AgreementChanges): Promise<AgreementRecord> {
    const current = await this.ctx.models.Agreement.findById(a._id).lean<AgreementRecord>();
    return updateAgreement(this.ctx, { id: String(a._id), actor: this.actor, expectedVersion: current!.version, changes });
  }

  async move(a: AgreementRecord, to: Stage, note?: string, entryIntoForce?: { date: Date; basis: string }): Promise<AgreementRecord> {
    return (await transitionAgreement(this.ctx, { id: String(a._id), actor: this.actor, to, note, entryIntoForce })).agreement;
  }

  round(a: AgreementRecord, round: { date: Date; venue?: string; outcome?: string }): Promise<AgreementRecord> {
    return addRound(this.ctx, { id: String(a._id), actor: this.actor, round });
  }

  async sign(a: AgreementRecord, partyName: string, signature: { signedAt: Date; place?: string; method: 'wet_ink' | 'electronic'; witnesses?: string[] }) {
    const current = await this.ctx.models.Agreement.findById(a._id).lean<AgreementRecord>();
    const party = current!.parties.find((p) => p.name === partyName)!;
    return recordSignature(this.ctx, { id: String(a._id), partyId: String(party._id), actor: this.actor, ...signature });
  }

  link(a: AgreementRecord, type: 'implements' | 'amends' | 'renews' | 'supersedes', other: AgreementRecord) {
    return addLink(this.ctx, { id: String(a._id), actor: this.actor, type, agreementId: String(other._id) });
  }

  comment(a: AgreementRecord, text: string, by: Actor = this.actor) {
    return addComment(this.ctx, by, String(a._id), text);
  }

  /** Uploads a generated final text in every authentic language, through the documents area like any upload. */
  async finalTexts(a: AgreementRecord, titles?: Record<string, string>): Promise<void> {
    const current = await this.ctx.models.Agreement.findById(a._id).lean<AgreementRecord>();
    for (const language of current!.authenticLanguages) {
      await this.upload(current!, 'final', language, { kind: 'final', language, titles }, `${current!.code} naskah final ${language}.pdf`);
    }
  }

  /** Uploads the scan of the signed original (in the first authentic language). */
  async signedCopy(a: AgreementRecord, signed: { place: string; date: string }, titles?: Record<string, string>): Promise<void> {
    const current = await this.ctx.models.Agreement.findById(a._id).lean<AgreementRecord>();
    const language = current!.authenticLanguages[0];
    await this.upload(current!, 'signed', language, { kind: 'signed', language, titles, signed }, `${current!.code} salinan bertanda tangan.pdf`);
  }

  private async upload(a: AgreementRecord, kind: 'final' | 'signed', language: string, text: DemoTextOptions, fileName: string): Promise<void> {
    const bytes = await demoTextPdf(a, text);
    const path = this.ctx.services.documents.temp.path('.pdf');
    // uploadDocument consumes the temporary file, whatever happens; until then it is ours to remove
    await fs.promises.writeFile(path, bytes, { flag: 'wx', mode: 0o600 }).catch(async (err: unknown) => {
      await fs.promises.rm(path, { force: true });
      throw err;
    });
    const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
    await uploadDocument(this.ctx, { actor: this.actor, agreement: await prepareUpload(this.ctx, this.actor, String(a._id)), kind, language, file: { path, size: bytes.length, sha256, originalName: fileName } });
  }
}
