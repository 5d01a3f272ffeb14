/**
 * The app under test in an e2e file: a fresh test homeserver (with an org and the org agent when
 * the file asks), the web build served against it, and headless Chromium. Registered as the
 * file's `beforeAll` / `afterAll`, so each file states only what it seeds and what it checks.
 */
import { afterAll, beforeAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { OrgAgent } from '../admin/agent/org-agent';
import {
  startOrgHomeserver,
  type OrgHomeserver,
  type OrgHomeserverOptions,
} from '../admin/testing/org-homeserver';
import type { TestHomeserver } from '../homeserver/testing';
import { launchBrowser } from './browser';
import { signInFirstTime, type FirstSignInOptions } from './first-sign-in';
import { serveBuiltWebApp } from './web-app';

/** The initial password of the accounts e2e files provision (test data, not a secret). */
export const PASSWORD = 'Correct-Horse-1';
/** The password each provisioned account sets on its first sign-in, replacing {@link PASSWORD}. */
export const NEW_PASSWORD = 'Chosen-Horse-22';

/** Options of {@link webAppForFile}. */
export interface WebAppOptions extends OrgHomeserverOptions {
  /** Fills the homeserver once the org and agent are up, before the app is served. */
  seed?: (hs: TestHomeserver) => Promise<void>;
  /** Removes what `seed` made outside the homeserver (temp dirs), before the homeserver stops. */
  cleanUp?: () => Promise<void>;
  /** The `beforeAll` timeout when the project's default is too short. */
  timeoutMs?: number;
}

/** The running app of a test file, readable once its `beforeAll` has run. */
export interface WebApp {
  readonly hs: TestHomeserver;
  /** The org agent; throws when the file asked for none. */
  readonly agent: OrgAgent;
  /** The served web app. */
  readonly url: string;
  readonly browser: Browser;
  /**
   * The first sign-in of an account provisioned with {@link PASSWORD}, in a fresh profile: the
   * password is replaced with {@link NEW_PASSWORD} and the recovery key acknowledged.
   */
  signIn(
    username: string,
    opts?: Pick<FirstSignInOptions, 'locale' | 'timezoneId' | 'phone'>,
  ): Promise<Page>;
}

/** Registers the file's hooks that start and stop the app under test; see {@link WebApp}. */
export function webAppForFile(opts: WebAppOptions = {}): WebApp {
  let server: OrgHomeserver | undefined;
  let web: { url: string; close(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startOrgHomeserver(opts);
    await opts.seed?.(server.hs);
    web = await serveBuiltWebApp(server.hs.baseUrl);
    browser = await launchBrowser();
  }, opts.timeoutMs);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await opts.cleanUp?.();
    await server?.stop();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not running (read it inside a test)`);
    return value;
  };
  const app: WebApp = {
    get hs() {
      return started(server, 'the test homeserver').hs;
    },
    get agent() {
      return started(started(server, 'the test homeserver').agent, 'the org agent');
    },
    get url() {
      return started(web, 'the web app').url;
    },
    get browser() {
      return started(browser, 'the browser');
    },
    signIn: (username, signInOpts = {}) =>
      signInFirstTime({
        browser: app.browser,
        url: app.url,
        username,
        password: PASSWORD,
        newPassword: NEW_PASSWORD,
        ...signInOpts,
      }),
  };
  return app;
}
