/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) as MongoDB speaks it: `saslStart` / `saslContinue` (and the
 * same first step carried by `hello.speculativeAuthenticate`), `skipEmptyExchange`, MongoDB's
 * error 18 AuthenticationFailed for an unknown user or a wrong proof. Only the derived keys are
 * kept (StoredKey, ServerKey), never the password.
 */
import crypto from 'node:crypto';
import type { Doc } from '../bson/codec.js';
import { Binary, isPlainDoc, toNumber } from '../bson/codec.js';
import { MongoError } from '../errors.js';

export const MECHANISM = 'SCRAM-SHA-256';
/** MongoDB's default (scramSHA256IterationCount). */
const ITERATIONS = 15_000;

/** A user as configured: the password is turned into keys at start. */
export interface UserSpec {
  user: string;
  password: string;
  /** the authentication database (default admin) */
  db?: string;
}

interface Credential {
  user: string;
  db: string;
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

/** One conversation in progress on a connection. */
interface Conversation {
  id: number;
  credential?: Credential;
  clientFirstBare: string;
  serverFirst: string;
  nonce: string;
  /** the client asked to end with the server's signature (no empty last exchange) */
  skipEmptyExchange: boolean;
  /** the proof was accepted; only the empty last exchange is left */
  proven?: boolean;
}

export interface AuthState {
  /** `db.user` once authenticated */
  user?: string;
  conversation?: Conversation;
}

const hmac = (key: Buffer, text: string) => crypto.createHmac('sha256', key).update(text, 'utf8').digest();
const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest();

/**
 * What MongoDB's drivers apply to a SCRAM-SHA-256 password (RFC 4013): non-ASCII spaces become a
 * space, "mapped to nothing" characters go, then NFKC. (Prohibited characters are not refused
 * here; a password holding them could never have been set through this server anyway.)
 */
export function saslprep(password: string): string {
  return password
    .replace(/[\u00A0\u1680\u2000-\u200B\u202F\u205F\u3000]/g, ' ')
    .replace(/[\u00AD\u034F\u1806\u180B-\u180D\u200C\u200D\u2060\uFE00-\uFE0F\uFEFF]/g, '')
    .normalize('NFKC');
}

export function deriveCredential(spec: UserSpec, salt = crypto.randomBytes(28), iterations = ITERATIONS): Credential {
  const salted = crypto.pbkdf2Sync(Buffer.from(saslprep(spec.password), 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = hmac(salted, 'Client Key');
  return { user: spec.user, db: spec.db ?? 'admin', salt, iterations, storedKey: sha256(clientKey), serverKey: hmac(salted, 'Server Key') };
}

const authFailed = () => new MongoError(18, 'Authentication failed.');

/** The users of one server and the SASL steps. */
export class Authenticator {
  private readonly users = new Map<string, Credential>();
  private nextConversation = 1;

  constructor(users: UserSpec[]) {
    for (const u of users) {
      const c = deriveCredential(u);
      this.users.set(`${c.db}.${c.user}`, c);
    }
  }

  /** `hello.saslSupportedMechs: "db.user"` answers which mechanisms that user has (none if unknown). */
  supportedMechs(name: unknown): string[] | undefined {
    if (typeof name !== 'string') return undefined;
    return this.users.has(name) ? [MECHANISM] : [];
  }

  saslStart(cmd: Doc, db: string, state: AuthState): Doc {
    if (cmd.mechanism !== MECHANISM) {
      throw new MongoError(334, `Received authentication for mechanism ${String(cmd.mechanism)} which is not enabled`);
    }
    const text = payloadText(cmd.payload);
    // gs2 header: no channel binding, no authzid ("n,,")
    const m = /^n,(?:a=[^,]*)?,(n=([^,]*),r=([^,]+)(?:,.*)?)$/.exec(text);
    if (!m) throw new MongoError(17, 'Invalid SCRAM client-first message');
    const [, clientFirstBare, rawUser, clientNonce] = m;
    const user = rawUser.replace(/=2C/g, ',').replace(/=3D/g, '=');
    const credential = this.users.get(`${db}.${user}`);
    // An unknown user goes through the same steps with a made-up salt, so a client cannot tell
    // which users exist; it fails at the proof, as MongoDB's does.
    const salt = credential?.salt ?? crypto.createHash('sha256').update(`${db}.${user}`).digest().subarray(0, 28);
    const iterations = credential?.iterations ?? ITERATIONS;
    const nonce = clientNonce + crypto.randomBytes(24).toString('base64');
    const serverFirst = `r=${nonce},s=${salt.toString('base64')},i=${iterations}`;
    const skipEmptyExchange = isPlainDoc(cmd.options) && cmd.options.skipEmptyExchange === true;
    const conversation: Conversation = { id: this.nextConversation++, credential, clientFirstBare, serverFirst, nonce, skipEmptyExchange };
    state.conversation = conversation;
    return { conversationId: conversation.id, done: false, payload: new Binary(Buffer.from(serverFirst, 'utf8')), ok: 1 };
  }

  saslContinue(cmd: Doc, state: AuthState): Doc {
    const conv = state.conversation;
    if (!conv || toNumber(cmd.conversationId) !== conv.id) throw new MongoError(17, 'No SASL session state found');
    const text = payloadText(cmd.payload);
    state.conversation = undefined;
    if (conv.proven) {
      // the empty last step of a conversation without skipEmptyExchange
      if (text !== '') throw authFailed();
      return { conversationId: conv.id, done: true, payload: new Binary(Buffer.alloc(0)), ok: 1 };
    }
    const m = /^(c=([^,]*),r=([^,]*)(?:,[^p][^,]*)*),p=([^,]+)$/.exec(text);
    if (!m || m[3] !== conv.nonce || !conv.credential) throw authFailed();
    const [, withoutProof, , , proof] = m;
    const { storedKey, serverKey } = conv.credential;
    const authMessage = `${conv.clientFirstBare},${conv.serverFirst},${withoutProof}`;
    const signature = hmac(storedKey, authMessage);
    const proofBytes = Buffer.from(proof, 'base64');
    if (proofBytes.length !== signature.length) throw authFailed();
    const clientKey = Buffer.alloc(signature.length);
    for (let i = 0; i < signature.length; i++) clientKey[i] = proofBytes[i] ^ signature[i];
    if (!crypto.timingSafeEqual(sha256(clientKey), storedKey)) throw authFailed();
    state.user = `${conv.credential.db}.${conv.credential.user}`;
    if (!conv.skipEmptyExchange) state.conversation = { ...conv, proven: true };
    const serverFinal = `v=${hmac(serverKey, authMessage).toString('base64')}`;
    return { conversationId: conv.id, done: conv.skipEmptyExchange, payload: new Binary(Buffer.from(serverFinal, 'utf8')), ok: 1 };
  }
}

function payloadText(payload: unknown): string {
  if (payload && (payload as Binary)._bsontype === 'Binary') {
    const b = payload as Binary;
    return Buffer.from(b.buffer.subarray(0, b.position)).toString('utf8');
  }
  if (typeof payload === 'string') return payload;
  if (payload instanceof Uint8Array) return Buffer.from(payload).toString('utf8');
  throw new MongoError(17, 'SASL payload must be binary');
}
