/**
 * Debian's Chromium, as every browser test and benchmark here launches it: Playwright cannot download
 * its own browsers on these machines, and without the network flags Chromium keeps trying hosts that
 * this closed network refuses.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
