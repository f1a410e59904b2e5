import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { MIN_PASSWORD_LENGTH, USERNAME_PATTERN } from '../../shared/limits.js';
import { GROUPS, ROLES } from '../../shared/roles.js';
import { stateCode, stateName } from '../../shared/states.js';
import { hashPassword } from '../auth/passwords.js';
import { loadConfig } from '../config.js';
import { openStore } from '../storage/openStore.js';

const USAGE = `Usage:
  npm run user -- add <username> --name "Full Name" --role secretariat|delegate|observer
                  [--group government|employers|workers] [--state FR|"France"] [--password P]
      (--state: an ISO 3166-1 alpha-2 code, or an English name, stored as its code;
       without --password, the password is read from CONCORD_PASSWORD)
  npm run user -- password <username> [--password P]   (ends the account's sessions, live ones within a minute)
  npm run user -- remove <username>                    (ends the account's sessions, live ones within a minute)
  npm run user -- list`;

const NewAccount = z
  .object({
    username: z.string().regex(USERNAME_PATTERN, 'username: 2–40 lowercase letters, digits, dots, dashes'),
    name: z.string().trim().min(1, '--name is required').max(120),
    role: z.enum(ROLES),
    group: z.enum(GROUPS).nullable(),
    memberState: z
      .string()
      .trim()
      .nullable()
      .transform((state, ctx) => {
        if (state === null) return null;
        const code = stateCode(state);
        if (!code) ctx.addIssue({ code: 'custom', message: `--state: "${state}" is no ISO 3166-1 code or State name` });
        return code;
      }),
    password: z.string().min(MIN_PASSWORD_LENGTH, `the password needs at least ${MIN_PASSWORD_LENGTH} characters`),
  })
  .refine((a) => (a.role === 'delegate') === (a.group !== null), 'delegates need --group, other roles have none')
  .refine((a) => a.memberState === null || a.group === 'government', '--state is only for government delegates');

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      group: { type: 'string' },
      state: { type: 'string' },
      password: { type: 'string' },
    },
  });
  const [command, username] = positionals;
  const store = openStore(loadConfig());
  try {
    if (command === 'list') {
      for (const u of await store.listUsers()) {
        const state = u.memberState ? ` (${u.memberState} — ${stateName(u.memberState, 'en')})` : '';
        const group = u.group ? ` ${u.group}${state}` : '';
        console.log(`${u.username}\t${u.role}${group}\t${u.name}${u.demo ? '\t[demo]' : ''}`);
      }
      return;
    }
    if ((command === 'remove' || command === 'password') && username) {
      const user = await store.findUserByUsername(username);
      if (!user) {
        console.error(`There is no user "${username}".`);
        process.exitCode = 1;
        return;
      }
      if (command === 'remove') {
        await store.deleteUser(user.id);
        console.log(`Removed ${username}; their sessions have ended.`);
        return;
      }
      const password = values.password ?? process.env.CONCORD_PASSWORD ?? '';
      if (password.length < MIN_PASSWORD_LENGTH) {
        console.error(`The password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
        process.exitCode = 2;
        return;
      }
      await store.setPasswordHash(user.id, await hashPassword(password));
      console.log(`Changed the password of ${username}; their sessions have ended.`);
      return;
    }
    if (command !== 'add' || !username) {
      console.error(USAGE);
      process.exitCode = 2;
      return;
    }
    const parsed = NewAccount.safeParse({
      username,
      name: values.name ?? '',
      role: values.role,
      group: values.group ?? null,
      memberState: values.state ?? null,
      password: values.password ?? process.env.CONCORD_PASSWORD ?? '',
    });
    if (!parsed.success) {
      console.error(`Cannot add ${username}: ${parsed.error.issues.map((i) => i.message).join('; ')}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    if (await store.findUserByUsername(username)) {
      console.error(`A user "${username}" already exists.`);
      process.exitCode = 1;
      return;
    }
    const { password, ...account } = parsed.data;
    await store.createUser({ id: randomUUID(), ...account, passwordHash: await hashPassword(password), demo: false });
    console.log(`Added ${username} (${account.role}${account.group ? `, ${account.group}` : ''}).`);
  } finally {
    await store.close();
  }
}

void main();
