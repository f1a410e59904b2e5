import { badRequest } from '../errors.js';
import type { AppServices } from '../services.js';

const noSuchGroup = (codes: readonly string[]) => badRequest(`There is no regional group ${codes.join(', ')}.`);

/** Regional groups named in a request must exist: checked before an account is written. */
export async function requireKnownRegions(
  services: Pick<AppServices, 'store'>,
  codes: readonly string[],
): Promise<void> {
  const known = new Set((await services.store.listRegionalGroups()).map((g) => g.code));
  const unknown = codes.filter((code) => !known.has(code));
  if (unknown.length > 0) throw noSuchGroup(unknown);
}

/**
 * A State's regional groups, set from the Office's Participants screen: the State joins the groups listed
 * and leaves the others. Membership is the State's, so it changes for every delegate of that State; when
 * it changed, every one of them (the edited account too) has their live sockets renewed with the new
 * circles, as a change of their own account would. Returns the State's groups before and after.
 */
export async function setRegionsOfState(
  services: Pick<AppServices, 'store' | 'onPowersChanged'>,
  state: string,
  codes: readonly string[],
): Promise<{ before: string[]; after: string[]; changed: boolean }> {
  const { unknown, before, after } = await services.store.setStateRegions(state, codes);
  if (unknown.length > 0) throw noSuchGroup(unknown);
  const changed = before.join() !== after.join();
  if (changed) {
    for (const user of await services.store.listUsers()) {
      if (user.memberState === state) services.onPowersChanged(user);
    }
  }
  return { before, after, changed };
}
