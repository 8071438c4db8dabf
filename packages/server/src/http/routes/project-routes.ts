// Projects and their members.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { projectByName, roleOn } from '../../auth/access.js';
import { badRequest, conflict, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import { routeSchema } from '../fastify-types.js';
import * as W from '../wire-schemas.js';
import { encodeCursor, pageRequest, PageQuerySchema, type PageQuery } from '../cursor.js';
import { DescriptionSchema, IdSchema, NameSchema } from '../names.js';
import { presentProject } from '../present.js';

const CreateProject = Type.Object(
  { name: NameSchema, description: Type.Optional(DescriptionSchema) },
  { additionalProperties: false },
);
const ProjectParams = Type.Object({ project: NameSchema });
const MemberParams = Type.Object({ project: NameSchema, user: IdSchema });
const SetMember = Type.Object(
  { role: Type.Union([Type.Literal('viewer'), Type.Literal('editor'), Type.Literal('admin')]) },
  { additionalProperties: false },
);

export function projectRoutes(app: FastifyInstance, { store }: Services): void {
  app.get<{ Querystring: PageQuery }>(
    '/projects',
    {
      schema: routeSchema('projects', { querystring: PageQuerySchema, response: W.replies(200, W.PageOf(W.Project)) }),
    },
    async (request) => {
      const user = request.user;
      const page = await store.listProjects(user.isAdmin ? null : user.id, pageRequest(request.query));
      const items = await Promise.all(
        page.items.map(async (p) => presentProject(p, (await roleOn(store, user, p.id)) ?? 'viewer')),
      );
      return { items, nextCursor: page.next === null ? null : encodeCursor(page.next) };
    },
  );

  app.post<{ Body: Static<typeof CreateProject> }>(
    '/projects',
    { schema: routeSchema('projects', { body: CreateProject, response: W.replies(201, W.Project) }) },
    async (request, reply) => {
      if (await store.getProjectByName(request.body.name)) {
        throw conflict('project_exists', `A project named '${request.body.name}' exists already.`);
      }
      const project = await store.createProject(
        { name: request.body.name, description: request.body.description ?? '', owner: request.user.id },
        { actor: request.user.id, action: 'project.create' },
      );
      return reply.status(201).send(presentProject(project, 'admin'));
    },
  );

  app.get<{ Params: Static<typeof ProjectParams> }>(
    '/projects/:project',
    { schema: routeSchema('projects', { params: ProjectParams, response: W.replies(200, W.Project) }) },
    async (request) => {
      const { project, role } = await projectByName(store, request.user, request.params.project, 'viewer');
      return presentProject(project, role);
    },
  );

  app.get<{ Params: Static<typeof ProjectParams> }>(
    '/projects/:project/members',
    { schema: routeSchema('projects', { params: ProjectParams, response: W.replies(200, Type.Array(W.Member)) }) },
    async (request) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'viewer');
      const members = await store.listMembers(project.id);
      return members.map((m) => ({ userId: m.userId, userName: m.userName, role: m.role }));
    },
  );

  app.put<{ Params: Static<typeof MemberParams>; Body: Static<typeof SetMember> }>(
    '/projects/:project/members/:user',
    { schema: routeSchema('projects', { params: MemberParams, body: SetMember, response: W.replies(200, W.Member) }) },
    async (request) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'admin');
      const user = (await store.getUser(request.params.user)) ?? (await store.getUserByName(request.params.user));
      if (!user) throw notFound('user', request.params.user);
      await store.setMember(project.id, user.id, request.body.role, {
        actor: request.user.id,
        action: 'member.set',
        projectId: project.id,
      });
      return { userId: user.id, userName: user.name, role: request.body.role };
    },
  );

  app.delete<{ Params: Static<typeof MemberParams> }>(
    '/projects/:project/members/:user',
    { schema: routeSchema('projects', { params: MemberParams, response: W.replies(204) }) },
    async (request, reply) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'admin');
      const members = await store.listMembers(project.id);
      const target = members.find((m) => m.userId === request.params.user || m.userName === request.params.user);
      if (!target) throw notFound('member', request.params.user);
      if (target.role === 'admin' && members.filter((m) => m.role === 'admin').length === 1) {
        throw badRequest('last_admin', 'A project must keep at least one admin.');
      }
      await store.removeMember(project.id, target.userId, {
        actor: request.user.id,
        action: 'member.remove',
        projectId: project.id,
      });
      return reply.status(204).send();
    },
  );
}
