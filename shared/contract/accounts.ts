import { z } from 'zod';
import { SessionResponse } from '../api.js';
import {
  Account,
  AccountWithPassword,
  CreateAccountRequest,
  LinkSignInRequest,
  SignInLink,
  UpdateAccountRequest,
} from '../accounts.js';
import { AuditPage, AuditQuery } from '../audit.js';
import { EmptyRequest } from './amendments.js';
import { route } from './spec.js';

const AccountParams = z.object({ id: z.string().min(1).max(64) });

/** The Office's participants screen, and the sign-in a one-time link gives. */
export const accountRoutes = {
  accountAudit: route({
    method: 'GET',
    path: '/api/admin/audit',
    summary: 'The accounts’ audit log, newest first: the Office’s account changes and failed sign-ins.',
    who: 'the Office',
    query: AuditQuery,
    response: AuditPage,
  }),
  accounts: route({
    method: 'GET',
    path: '/api/admin/users',
    summary: 'Every account, oldest first.',
    who: 'the Office',
    response: z.array(Account),
  }),
  createAccount: route({
    method: 'POST',
    path: '/api/admin/users',
    summary: 'Creates an account; its first password is in the answer, shown once.',
    who: 'the Office',
    request: CreateAccountRequest,
    response: AccountWithPassword,
    status: 201,
    secretAnswer: true,
  }),
  updateAccount: route({
    method: 'PATCH',
    path: '/api/admin/users/:id',
    summary: 'Changes who the account is, or (`active`) deactivates it: its sessions end at once.',
    who: 'the Office',
    params: AccountParams,
    request: UpdateAccountRequest,
    response: Account,
  }),
  resetPassword: route({
    method: 'POST',
    path: '/api/admin/users/:id/password',
    summary: 'A new password, shown once; the account’s sessions end.',
    who: 'the Office',
    params: AccountParams,
    request: EmptyRequest,
    response: AccountWithPassword,
    secretAnswer: true,
  }),
  createSignInLink: route({
    method: 'POST',
    path: '/api/admin/users/:id/sign-in-link',
    summary: 'A one-time sign-in link for the Office to send (single use, expires, stored hashed).',
    who: 'the Office',
    params: AccountParams,
    request: EmptyRequest,
    response: SignInLink,
    secretAnswer: true,
  }),
  linkSignIn: route({
    method: 'POST',
    path: '/api/session/link',
    summary: 'Signs in with a one-time link’s token (used once), like a password sign-in.',
    who: 'anyone',
    request: LinkSignInRequest,
    response: SessionResponse,
    secretAnswer: true,
  }),
};
