/** Password hashing and the lock schedule: pure functions, no database. */
import { expect } from 'chai';
import { hashPassword, verifyPassword } from '../../domain/accounts/password.js';
import { lockMsAfter, THROTTLE } from '../../domain/accounts/login-throttle.js';
import { newToken, tokenHash } from '../../domain/accounts/tokens.js';

describe('accounts: passwords and throttle schedule', () => {
  it('when a password is hashed, then only the same password verifies, and the hash carries its scrypt parameters', async () => {
    const stored = await hashPassword('kata-sandi-rahasia');
    expect(stored).to.match(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword('kata-sandi-rahasia', stored)).to.equal(true);
    expect(await verifyPassword('kata-sandi-rahasiA', stored)).to.equal(false);
  });

  it('when the stored hash is malformed or asks for absurd parameters, then nothing verifies and nothing throws', async () => {
    for (const bad of ['', 'plain', 'scrypt$1$1$1$x$y', 'scrypt$99999999$8$1$AAAA$AAAAAAAAAAAAAAAAAAAAAAAA', 'bcrypt$1$2$3$4$5']) {
      expect(await verifyPassword('anything', bad)).to.equal(false);
    }
  });

  it('when failures stay under the allowance, then no lock; beyond it, each lock doubles up to 15 minutes', () => {
    const free = THROTTLE.account.free;
    expect(lockMsAfter(free - 1, free)).to.equal(0);
    expect(lockMsAfter(free, free)).to.equal(2000);
    expect(lockMsAfter(free + 1, free)).to.equal(4000);
    expect(lockMsAfter(free + 50, free)).to.equal(15 * 60_000);
  });

  it('when tokens are issued, then they are unique, URL-safe, and their stored hash is not the token', () => {
    const a = newToken();
    const b = newToken();
    expect(a).to.match(/^[\w-]{43}$/);
    expect(a).not.to.equal(b);
    expect(tokenHash(a)).to.match(/^[0-9a-f]{64}$/).and.not.equal(a);
  });
});
