import { ROLES } from '../../workflows/permissions.js';
import { authErrors, bearer, errorResponse, idParam, json, ref, type OpenApiModule } from './types.js';

export const tags = [
  { name: 'auth', description: 'Sign in and out' },
  { name: 'users', description: 'User administration (admin)' },
];

export const schemas: OpenApiModule['schemas'] = {
  Role: { type: 'string', enum: [...ROLES] },
  User: {
    type: 'object',
    required: ['id', 'email', 'name', 'role', 'unit', 'disabled', 'timezone'],
    properties: {
      id: { type: 'string' },
      email: { type: 'string', format: 'email' },
      name: { type: 'string' },
      role: ref('Role'),
      unit: { type: 'string', examples: ['PWNI', 'HPI', 'BHAKP'] },
      disabled: { type: 'boolean' },
      timezone: { type: 'string', default: 'Asia/Jakarta', description: 'the IANA time zone the person reads every time in (the web pages show instants in it)', examples: ['Asia/Jakarta', 'Asia/Riyadh'] },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
    },
  },
  LoginRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['email', 'password'],
    properties: { email: { type: 'string', format: 'email' }, password: { type: 'string', maxLength: 256 } },
  },
  LoginResponse: {
    type: 'object',
    required: ['token', 'expiresAt', 'user'],
    properties: {
      token: { type: 'string', description: 'send as `Authorization: Bearer <token>`' },
      expiresAt: { type: 'string', format: 'date-time' },
      user: ref('User'),
    },
  },
  CreateUserRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['email', 'name', 'password', 'role'],
    properties: {
      email: { type: 'string', format: 'email' },
      name: { type: 'string', maxLength: 200 },
      password: {
        type: 'string',
        minLength: 10,
        maxLength: 256,
        description: "NIST SP 800-63B: refused (422, details[0].type password.<reason>) when it contains the e-mail's name or zxcvbn-ts finds it guessable (common or leaked, repeats, sequences, keyboard walks, dates, names)",
      },
      role: ref('Role'),
      unit: { type: 'string', default: 'PWNI' },
    },
  },
  UpdateUserRequest: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    description: 'A new password or `disabled: true` signs the user out everywhere and revokes their secret calendar feed URL.',
    properties: {
      email: { type: 'string', format: 'email' },
      name: { type: 'string', maxLength: 200 },
      password: {
        type: 'string',
        minLength: 10,
        maxLength: 256,
        description: "NIST SP 800-63B: refused (422, details[0].type password.<reason>) when it contains the e-mail's name or zxcvbn-ts finds it guessable (common or leaked, repeats, sequences, keyboard walks, dates, names)",
      },
      role: ref('Role'),
      unit: { type: 'string' },
      disabled: { type: 'boolean' },
      timezone: { type: 'string', maxLength: 64, description: 'an IANA time zone, e.g. Asia/Jakarta' },
    },
  },
  UpdateMeRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['timezone'],
    properties: { timezone: { type: 'string', maxLength: 64, description: 'an IANA time zone, e.g. Asia/Jakarta or Europe/London', examples: ['Asia/Riyadh'] } },
  },
  ChangeMyPasswordRequest: {
    type: 'object',
    additionalProperties: false,
    required: ['currentPassword', 'newPassword'],
    properties: {
      currentPassword: { type: 'string', maxLength: 256, description: 'the password the person signs in with now' },
      newPassword: {
        type: 'string',
        maxLength: 256,
        description:
          "the same rule as any password (NIST SP 800-63B): refused (422, details[0].type password.<reason>) when shorter than 10 characters, when it contains the e-mail's name or zxcvbn-ts finds it guessable; and (password.same_as_current) when it is the current password",
      },
    },
  },
  PasswordChanged: {
    type: 'object',
    required: ['passwordChangedAt', 'otherSessionsEnded', 'calendarFeedRevoked'],
    properties: {
      passwordChangedAt: { type: 'string', format: 'date-time' },
      otherSessionsEnded: { type: 'integer', minimum: 0, description: 'how many other sessions (bearer tokens) of the account were signed out; the token of this request keeps working' },
      calendarFeedRevoked: {
        type: 'boolean',
        description: 'true when the account had a secret calendar feed URL: it was revoked with the old password (it answers 404 now), and a new one is taken with POST /api/me/calendar-token',
      },
    },
  },
  UserList: {
    type: 'object',
    required: ['items', 'total'],
    properties: { items: { type: 'array', items: ref('User') }, total: { type: 'integer' } },
  },
};

const body = (name: string) => ({ required: true, content: { 'application/json': { schema: ref(name) } } });
const invalid = errorResponse('Invalid body; details name each bad field (unknown fields are rejected)');
const notFound = errorResponse('No such user, or a malformed id');

export const paths: OpenApiModule['paths'] = {
  '/api/auth/login': {
    post: {
      operationId: 'logIn', tags: ['auth'],
      summary: 'Exchange e-mail and password for a bearer token',
      description:
        'Repeated failures are slowed per account and per client address (X-Forwarded-For is trusted only for the ' +
        'configured proxy hops): past the allowance the answer is 429 with Retry-After.',
      security: [],
      requestBody: body('LoginRequest'),
      responses: {
        '200': json('Signed in', ref('LoginResponse')),
        '401': errorResponse('Wrong e-mail or password (the same answer for an unknown e-mail)'),
        '422': invalid,
        '429': {
          ...errorResponse('Too many failed attempts'),
          headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'seconds' } },
        },
      },
    },
  },
  '/api/auth/logout': {
    post: {
      operationId: 'logOut', tags: ['auth'],
      summary: 'Revoke the token used for this request',
      security: bearer,
      responses: { '204': { description: 'Revoked' }, '401': authErrors['401'] },
    },
  },
  '/api/me': {
    get: {
      operationId: 'getCurrentUser', tags: ['auth'],
      summary: 'The signed-in user',
      security: bearer,
      responses: { '200': json('The user', ref('User')), '401': authErrors['401'] },
    },
    patch: {
      operationId: 'updateCurrentUser', tags: ['auth'],
      summary: 'Change my own settings: the time zone I read times in',
      security: bearer,
      requestBody: body('UpdateMeRequest'),
      responses: { '200': json('Changed', ref('User')), '401': authErrors['401'], '422': errorResponse('Not an IANA time zone, or an unknown field') },
    },
  },
  '/api/me/password': {
    post: {
      operationId: 'changeMyPassword', tags: ['auth'],
      summary: 'Change my own password',
      description:
        'The current password is checked. Wrong ones count against the same allowance as failed log-ins ' +
        '(per account and per client address): past it the answer is 429 with Retry-After, and log-ins wait too. ' +
        'On success the new password is stored, every other session of the account is signed out (its other ' +
        'bearer tokens stop working) and its secret calendar feed URL is revoked, the token of this request keeps working, ' +
        'and the change is written to the service log.',
      security: bearer,
      requestBody: body('ChangeMyPasswordRequest'),
      responses: {
        '200': json('Changed', ref('PasswordChanged')),
        '401': authErrors['401'],
        '422': errorResponse(
          'A missing or unknown field; the current password is wrong (details[0].field currentPassword, type password.wrong_current); ' +
            'or the new one is refused by the password rule or is the current one (details[0].field newPassword, type password.<reason>)',
        ),
        '429': {
          ...errorResponse('Too many wrong passwords'),
          headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'seconds' } },
        },
      },
    },
  },
  '/api/users': {
    get: {
      operationId: 'listUsers', tags: ['users'],
      summary: 'List users',
      security: bearer,
      parameters: [
        { name: 'role', in: 'query', schema: ref('Role') },
        { name: 'unit', in: 'query', schema: { type: 'string' } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
      ],
      responses: { '200': json('One page of users', ref('UserList')), ...authErrors, '422': invalid },
    },
    post: {
      operationId: 'createUser', tags: ['users'],
      summary: 'Create a user',
      security: bearer,
      requestBody: body('CreateUserRequest'),
      responses: {
        '201': json('Created', ref('User')),
        ...authErrors,
        '409': errorResponse('The e-mail is taken'),
        '422': invalid,
      },
    },
  },
  '/api/users/{id}': {
    parameters: [idParam()],
    get: {
      operationId: 'getUser', tags: ['users'],
      summary: 'One user',
      security: bearer,
      responses: { '200': json('The user', ref('User')), ...authErrors, '404': notFound },
    },
    patch: {
      operationId: 'updateUser', tags: ['users'],
      summary: 'Change a user',
      security: bearer,
      requestBody: body('UpdateUserRequest'),
      responses: {
        '200': json('Changed', ref('User')),
        ...authErrors,
        '404': notFound,
        '409': errorResponse('The e-mail is taken, or this would leave no active admin'),
        '422': invalid,
      },
    },
    delete: {
      operationId: 'deleteUser', tags: ['users'],
      summary: 'Delete a user and revoke their tokens',
      security: bearer,
      requestBody: {
        required: false,
        content: { 'application/json': { schema: { type: 'object', additionalProperties: false, properties: { reason: { type: 'string', maxLength: 500, description: 'why, kept in the service log' } } } } },
      },
      responses: {
        '204': { description: 'Deleted' },
        ...authErrors,
        '404': notFound,
        '409': errorResponse('This would leave no active admin'),
      },
    },
  },
};
