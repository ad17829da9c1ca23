import {
  createUserBody,
  EMPTY_USER_DRAFT,
  newUserErrors,
  selfLockoutWarning,
  userChangeRefusal,
} from './user-form';

const badRequest = (errors: { field: string; problem: string }[]) => ({
  status: 400,
  error: {
    statusCode: 400,
    message: errors.map((e) => `${e.field}: ${e.problem}`),
    errors,
  },
});

describe('users page: the new-user form', () => {
  it('sends the password for a person and none for a service account', () => {
    expect(
      createUserBody({ ...EMPTY_USER_DRAFT, username: ' alice ', password: 'pw-123456789012' }),
    ).toEqual({ username: 'alice', role: 'viewer', password: 'pw-123456789012' });
    expect(
      createUserBody({
        username: 'report-bot',
        role: 'operator',
        password: 'typed before ticking the box',
        is_service_account: true,
      }),
    ).toEqual({ username: 'report-bot', role: 'operator', is_service_account: true });
  });

  it("puts each of the API's 400 problems on its own field", () => {
    const errors = newUserErrors(
      badRequest([
        { field: 'username', problem: 'username: 1-100 letters, digits, . _ @ -' },
        { field: 'password', problem: 'password must be 12-256 characters' },
      ]),
    );
    expect(errors.fields).toEqual({
      username: ['username: 1-100 letters, digits, . _ @ -'],
      password: ['password must be 12-256 characters'],
    });
    expect(errors.general).toEqual([]);
  });

  it('files a taken username (409) under the username field', () => {
    const errors = newUserErrors({
      status: 409,
      error: { statusCode: 409, message: "A user named 'alice' already exists" },
    });
    expect(errors).toEqual({
      fields: { username: ["A user named 'alice' already exists"] },
      general: [],
    });
  });

  it('says when the server did not answer instead of blaming a field', () => {
    expect(newUserErrors({ status: 0 })).toEqual({
      fields: {},
      general: ['The server did not answer: check that hostwatch is running.'],
    });
  });
});

describe('users page: refusals and self-lockout', () => {
  it("shows the API's own reason when it refuses to remove the last admin", () => {
    const refusal = userChangeRefusal(
      'disable',
      { username: 'admin' },
      {
        status: 409,
        error: {
          statusCode: 409,
          message: "'admin' is the last active admin; make another admin first",
        },
      },
    );
    expect(refusal).toBe(
      "Cannot disable admin: 'admin' is the last active admin; make another admin first",
    );
  });

  it('names the field of a 400 on a change', () => {
    expect(
      userChangeRefusal(
        'set the password of',
        { username: 'bob' },
        badRequest([{ field: 'password', problem: 'password must be 12-256 characters' }]),
      ),
    ).toBe('Could not set the password of bob: password must be 12-256 characters');
  });

  it('warns an admin only about changes that take away their own access', () => {
    const me = { username: 'Admin', role: 'admin' as const };
    expect(selfLockoutWarning({ role: 'viewer' }, me, 'admin')).toMatch(/lose access to Settings/);
    expect(selfLockoutWarning({ is_active: false }, me, 'admin')).toMatch(/signed out/);
    expect(selfLockoutWarning({ delete: true }, me, 'admin')).toMatch(/signed out for good/);
    expect(selfLockoutWarning({ role: 'admin' }, me, 'admin')).toBeNull();
    expect(selfLockoutWarning({ is_active: true }, me, 'admin')).toBeNull();
    // Someone else's account: the usual confirmation, no self-lockout warning.
    expect(selfLockoutWarning({ role: 'viewer' }, me, 'carol')).toBeNull();
    expect(selfLockoutWarning({ delete: true }, me, null)).toBeNull();
  });
});
