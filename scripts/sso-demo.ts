/**
 * The demo's 统一身份认证: with `HONGYAN_SSO_DEMO=1 ./hongyan start`, the stand-in identity
 * platform runs on loopback beside the homeserver, knows every demo account (same username and
 * password), and each demo account's subject is linked for single sign-on. Synapse gets its OIDC
 * settings from a `conf.d` file that exists only while the demo runs (Synapse refuses to start when
 * a configured provider does not answer).
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { linkSsoSubject } from '../admin/sso-links';
import { SynapseClient } from '../admin/synapse-client';
import { readDemoAccounts, demoAccountsFile } from '../homeserver/demo-accounts';
import { startIdp } from '../homeserver/identity/oidc-provider';
import { buildIdentityConfig, OIDC_AUTH_PROVIDER } from '../homeserver/identity/synapse-identity';
import { instancePaths } from '../homeserver/paths';
import { writeOwnerOnly } from '../homeserver/secrets';

/** Synapse's settings for the demo platform, in the instance's `conf.d`. */
function demoConfFile(dataDir: string): string {
  return path.join(instancePaths(dataDir).confDir, '50-sso-demo.yaml');
}

/** Removes settings a demo that did not exit cleanly left behind (Synapse would not start). */
export async function removeSsoDemoConfig(dataDir: string): Promise<void> {
  await rm(demoConfFile(dataDir), { force: true });
}

/** The running demo platform. */
export interface SsoDemo {
  issuer: string;
  /** Registers the demo accounts with the platform and links their subjects. Returns how many. */
  enrolDemoAccounts(adminToken: string): Promise<number>;
  /** Stops the platform and removes its Synapse settings. */
  stop(): Promise<void>;
}

/** Starts the platform and writes Synapse's settings for it; call before the homeserver starts. */
export async function startSsoDemo(opts: {
  dataDir: string;
  homeserverUrl: string;
  /** Prefixes of the app's redirect URLs (web app origin + `/`, `hongyan://sso-callback`). */
  appRedirectUrls: string[];
  port: number;
}): Promise<SsoDemo> {
  const paths = instancePaths(opts.dataDir);
  const clientSecret = randomBytes(24).toString('hex');
  const clientSecretPath = path.join(paths.secretsDir, 'oidc_client_secret');
  const confFile = demoConfFile(opts.dataDir);
  const idp = await startIdp({
    accounts: [],
    port: opts.port,
    clients: [
      {
        clientId: 'hongyan',
        clientSecret,
        redirectUris: [`${opts.homeserverUrl}/_synapse/client/oidc/callback`],
      },
    ],
  });
  await writeOwnerOnly(clientSecretPath, clientSecret);
  const config = buildIdentityConfig({
    oidc: {
      issuer: idp.issuer,
      clientId: 'hongyan',
      clientSecretPath,
      appRedirectUrls: opts.appRedirectUrls,
    },
  });
  await writeOwnerOnly(
    confFile,
    `# Written by the demo (scripts/sso-demo.ts) while its identity platform runs; removed on exit.\n${stringify(config)}`,
  );
  return {
    issuer: idp.issuer,
    async enrolDemoAccounts(adminToken) {
      const record = await readDemoAccounts(demoAccountsFile(paths));
      const client = new SynapseClient({ baseUrl: opts.homeserverUrl, token: adminToken });
      let n = 0;
      for (const account of record.accounts ?? []) {
        if (!account.password) continue;
        idp.putAccount({
          subject: account.username,
          username: account.username,
          displayName: account.displayName,
          password: account.password,
        });
        await linkSsoSubject(client, {
          userId: account.userId,
          authProvider: OIDC_AUTH_PROVIDER,
          subject: account.username,
        });
        n += 1;
      }
      return n;
    },
    async stop() {
      await rm(confFile, { force: true });
      await idp.stop();
    },
  };
}
