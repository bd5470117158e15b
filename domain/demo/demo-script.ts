import type { Actor } from '../accounts/actor.js';
import { ManualClock } from '../clock.js';
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

/** The legal drafter in whose name the demo history is written (signatures "recorded on behalf"). */
export const DEMO_DRAFTER: Actor = {
  id: 'demo-drafter',
  email: 'drafter@demo.pwni.local',
  name: 'Perancang Demo (Legal Drafter)',
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

  move(a: AgreementRecord, to: Stage, note?: string, entryIntoForce?: { date: Date; basis: string }): Promise<AgreementRecord> {
    return transitionAgreement(this.ctx, { id: String(a._id), actor: this.actor, to, note, entryIntoForce });
  }

  round(a: AgreementRecord, round: { date: Date; venue?: string; outcome?: string }): Promise<AgreementRecord> {
    return addRound(this.ctx, { id: String(a._id), actor: this.actor, round });
  }

  async sign(a: AgreementRecord, partyName: string, signature: { signedAt: Date; place?: string; method: 'wet_ink' | 'electronic' }) {
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
}
