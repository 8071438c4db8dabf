// Users, the caller's identity, and personal access tokens.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { generateToken, hashToken } from '../../auth/tokens.js';
import { conflict, forbidden, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import { routeSchema } from '../fastify-types.js';
import * as W from '../wire-schemas.js';
import { encodeCursor, pageRequest, PageQuerySchema, type PageQuery } from '../cursor.js';
import { IdSchema, NameSchema } from '../names.js';
import { presentUser } from '../present.js';

const CreateUser = Type.Object(
  { name: NameSchema, isAdmin: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
const CreateToken = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);
const UserParams = Type.Object({ user: IdSchema });

export function userRoutes(app: FastifyInstance, { store }: Services): void {
  app.get('/me', { schema: routeSchema('users', { response: W.replies(200, W.Me) }) }, async (request) => {
    const roles = await store.rolesOf(request.user.id);
    return { user: presentUser(request.user), roles: Object.fromEntries(roles.map((r) => [r.projectName, r.role])) };
  });

  app.post<{ Body: Static<typeof CreateUser> }>(
    '/users',
    { schema: routeSchema('users', { body: CreateUser, response: W.replies(201, W.User) }) },
    async (request, reply) => {
      if (!request.user.isAdmin) throw forbidden('Only platform admins can create users.');
      if (await store.getUserByName(request.body.name)) {
        throw conflict('user_exists', `A user named '${request.body.name}' exists already.`);
      }
      const user = await store.createUser(
        { name: request.body.name, isAdmin: request.body.isAdmin ?? false },
        { actor: request.user.id, action: 'user.create' },
      );
      return reply.status(201).send(presentUser(user));
    },
  );

  app.get<{ Querystring: PageQuery }>(
    '/users',
    { schema: routeSchema('users', { querystring: PageQuerySchema, response: W.replies(200, W.PageOf(W.User)) }) },
    async (request) => {
      if (!request.user.isAdmin) throw forbidden('Only platform admins can list users.');
      const page = await store.listUsers(pageRequest(request.query));
      return { items: page.items.map(presentUser), nextCursor: page.next === null ? null : encodeCursor(page.next) };
    },
  );

  app.post<{ Params: Static<typeof UserParams>; Body: Static<typeof CreateToken> }>(
    '/users/:user/tokens',
    {
      schema: routeSchema('users', { params: UserParams, body: CreateToken, response: W.replies(201, W.CreatedToken) }),
    },
    async (request, reply) => {
      const userId = request.params.user === 'me' ? request.user.id : request.params.user;
      if (userId !== request.user.id && !request.user.isAdmin) {
        throw forbidden('Only platform admins can create tokens for other users.');
      }
      const user = await store.getUser(userId);
      if (!user) throw notFound('user', userId);
      const secret = generateToken();
      const token = await store.createToken(
        { userId, name: request.body.name, tokenHash: hashToken(secret) },
        { actor: request.user.id, action: 'token.create', details: { user: userId } },
      );
      return reply.status(201).send({ id: token.id, name: token.name, token: secret, createdAt: token.createdAt });
    },
  );
}
