import { stopSharedServer } from './db.js';

/** Mocha root hooks: close what the whole run shared, so mocha exits by itself. */
export const mochaHooks = {
  async afterAll() {
    await stopSharedServer();
  },
};
