/** The time, injectable: deadlines are judged against `clock.now()`, so tests can stand one second either side. */
export interface Clock {
  now(): number;
}

/** The real time, for production and for the parts that must not follow a test's moved clock. */
export const systemClock: Clock = { now: () => Date.now() };
