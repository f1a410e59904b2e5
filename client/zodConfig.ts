import { z } from 'zod';

// zod compiles fast parsers with `new Function` after probing for it; under our CSP (no 'unsafe-eval')
// the probe is blocked and reported as a violation. The interpreted parsers are fast enough here.
z.config({ jitless: true });
