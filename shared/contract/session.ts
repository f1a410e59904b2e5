import { CurrentSessionResponse, LoginRequest, MeResponse, SessionResponse, SignOutResponse } from '../api.js';
import { AuditPage, AuditQuery } from '../audit.js';
import { z } from 'zod';
import { RegionalGroup } from '../regions.js';
import { route } from './spec.js';

export const sessionRoutes = {
  signIn: route({
    method: 'POST',
    path: '/api/session',
    summary: 'Signs in: the token, the httpOnly cookie, the user and what they may do.',
    who: 'anyone',
    request: LoginRequest,
    response: SessionResponse,
    secretAnswer: true,
  }),
  signOut: route({
    method: 'DELETE',
    path: '/api/session',
    summary: 'Signs out: the token and the cookie stop working, live connections close.',
    response: SignOutResponse,
  }),
  currentSession: route({
    method: 'GET',
    path: '/api/session',
    summary: 'Who is signed in, if anyone: { user: null } when signed out (200, not an error).',
    who: 'anyone',
    response: CurrentSessionResponse,
  }),
  me: route({
    method: 'GET',
    path: '/api/me',
    summary: 'Who is signed in, and their abilities.',
    response: MeResponse,
  }),
  regionalGroups: route({
    method: 'GET',
    path: '/api/regional-groups',
    summary: 'The regional groups of the Government group, with their names and member States.',
    response: z.array(RegionalGroup),
  }),
  signInAudit: route({
    method: 'GET',
    path: '/api/audit/sign-ins',
    summary: 'Failed sign-ins per account, newest first.',
    who: 'the Office',
    query: AuditQuery,
    response: AuditPage,
  }),
};
