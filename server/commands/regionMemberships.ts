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
  const { unknown, before, after } = await services.store.setStateRegions(state, codes);
  if (unknown.length > 0) throw badRequest(`There is no regional group ${unknown.join(', ')}.`);
  if (before.join() !== after.join()) {
    for (const user of await services.store.listUsers()) {
      if (user.memberState === state) services.onPowersChanged(user);
    }
  }
  return { before, after };
}
