/** Every role a user can have. */
export const ROLES = ['admin', 'drafter', 'diplomat', 'signatory', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** The roles as the interface names them, for messages that name one (Indonesian, English). */
export const ROLE_NAMES: Record<Role, { id: string; en: string }> = {
  admin: { id: 'Administrator', en: 'Administrator' },
  drafter: { id: 'Perancang', en: 'Legal drafter' },
  diplomat: { id: 'Diplomat', en: 'Diplomat' },
  signatory: { id: 'Penanda tangan', en: 'Signatory' },
  auditor: { id: 'Auditor', en: 'Auditor' },
};

interface Permission {
  roles: readonly Role[];
  /** what is refused, for the 403's message (English, Indonesian) */
  what: { en: string; id: string };
}

/**
 * Who may do what: the one table that the routes (requirePermission), the stage tables (every
 * manual move) and the domain's own checks (uploads, deadlines) read. Reading needs no row: every
 * role reads, and what a unit may see is decided per agreement (its confidentiality).
 */
export const PERMISSIONS = {
  /** create agreements, change their fields, record negotiation rounds and links */
  editAgreement: { roles: ['admin', 'drafter'], what: { en: 'edit agreements', id: 'mengubah perjanjian' } },
  /** move a stage by hand: the manual rows of workflows/tables.ts */
  moveStage: { roles: ['admin', 'drafter'], what: { en: 'move agreements between stages', id: 'memindahkan tahap perjanjian' } },
  uploadDocument: { roles: ['admin', 'drafter'], what: { en: 'upload documents', id: 'mengunggah dokumen' } },
  /** record or decline a party's signature (a signatory only for their own party: domain/agreements/party-access.ts) */
  recordSignature: { roles: ['admin', 'drafter', 'signatory'], what: { en: 'record signatures', id: 'mencatat penandatanganan' } },
  /** record a party's signature or refusal for it, as when a foreign counterpart signs on paper */
  signOnBehalf: { roles: ['admin', 'drafter'], what: { en: "record another party's signature", id: 'mencatat penandatanganan pihak lain' } },
  comment: { roles: ['admin', 'drafter', 'diplomat', 'signatory'], what: { en: 'comment', id: 'memberi komentar' } },
  /** the people who run the negotiation: not signatories or auditors */
  manageDeadlines: { roles: ['admin', 'drafter', 'diplomat'], what: { en: 'manage deadlines', id: 'mengelola tenggat' } },
  /** recompute every history chain of the registry at once (GET /api/history/verify) */
  auditRegistry: { roles: ['admin', 'auditor'], what: { en: 'verify the whole registry', id: 'memverifikasi seluruh register' } },
  /** users, holidays, escalation contacts, reminder sweeps and deliveries */
  administer: { roles: ['admin'], what: { en: 'administer the tracker', id: 'mengelola sistem' } },
} as const satisfies Record<string, Permission>;

export type Action = keyof typeof PERMISSIONS;

export function isAllowed(role: Role, action: Action): boolean {
  return (PERMISSIONS[action].roles as readonly Role[]).includes(role);
}
