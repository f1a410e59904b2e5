import { badRequest } from '../errors.js';
import type { AppServices } from '../services.js';

/**
 * A State's regional groups, set from the Office's Participants screen: the State joins the groups listed
 * and leaves the others. Membership is the State's, so it changes for every delegate of that State; the
 * delegates whose regional groups changed have their live sockets renewed with the new circles (as a
 * change of their own account would). Returns the State's groups before and after.
 */
export async function setRegionsOfState(
  services: Pick<AppServices, 'store' | 'onPowersChanged'>,
  state: string,
  codes: readonly string[],
): Promise<{ before: string[]; after: string[] }> {
  const wanted = new Set(codes);
  const groups = await services.store.listRegionalGroups();
  const unknown = [...wanted].filter((code) => !groups.some((g) => g.code === code));
  if (unknown.length > 0) throw badRequest(`There is no regional group ${unknown.join(', ')}.`);
  const before = groups.filter((g) => g.members.includes(state)).map((g) => g.code);
  for (const group of groups) {
    const member = group.members.includes(state);
    if (member === wanted.has(group.code)) continue;
    const members = member ? group.members.filter((m) => m !== state) : [...group.members, state];
    await services.store.saveRegionalGroup({ ...group, members });
  }
  const after = groups.filter((g) => wanted.has(g.code)).map((g) => g.code);
  if (before.join() !== after.join()) {
    for (const user of await services.store.listUsers()) {
      if (user.memberState === state) services.onPowersChanged(user);
    }
  }
  return { before, after };
}
