/**
 * A real OpenID Connect provider on loopback, standing in for the province's unified identity
 * platform (统一身份认证) in the demo and the tests. It is the `oidc-provider` library (certified
 * OpenID implementation) with a small login page in front: authorisation code flow only, PKCE
 * required, confidential client (Synapse) authenticating with its secret.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { renderLoginPage } from './idp-login-page';

/** One person known to the identity platform. */
export interface IdpAccount {
  /** Stable subject (`sub`): the person's directory id, never reused. */
  subject: string;
  /** `preferred_username` claim: the Matrix localpart the person was provisioned with. */
  username: string;
  /** `name` claim. */
  displayName: string;
  password: string;
}

/** A relying party registered with the provider. */
export interface IdpClient {
  clientId: string;
  clientSecret: string;
  /** Exact redirect URIs (Synapse's `/_synapse/client/oidc/callback`). */
  redirectUris: string[];
}

/** A running provider. */
export interface RunningIdp {
  /** `http://127.0.0.1:<port>`: the issuer, and where discovery lives. */
  issuer: string;
  /** Adds or replaces an account (a person joining the platform). */
  putAccount(account: IdpAccount): void;
  /**
   * Registers a relying party. A homeserver learns its own callback URL only once it has a port,
   * after the issuer must already be known; the provider is rebuilt with the new client list.
   */
  registerClient(client: IdpClient): void;
  /** Closes the listener; open connections are dropped. */
  stop(): Promise<void>;
}

/** Options of {@link startIdp}. */
export interface StartIdpOptions {
  accounts: readonly IdpAccount[];
  clients?: readonly IdpClient[];
  /** Port to listen on (default: a free one). */
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
}

const INTERACTION_PATH = /^\/interaction\/([A-Za-z0-9_-]{1,128})(\/login)?$/;
const MAX_FORM_BYTES = 8 * 1024;

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function providerConfig(
  clients: readonly IdpClient[],
  accounts: Map<string, IdpAccount>,
): Configuration {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex') };
  return {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    // Every client must prove possession of the code verifier, confidential ones included.
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600 },
    findAccount: (_ctx, sub) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, name: account.displayName, preferred_username: account.username }),
      };
    },
    // The platform's own relying parties need no consent screen: the grant is made on first use.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session, provider } = ctx.oidc as unknown as {
        client?: { clientId: string };
        session?: { accountId?: string; grantIdFor(clientId: string): string | undefined };
        provider: Provider;
      };
      if (!client || !session?.accountId) return undefined;
      const existing = session.grantIdFor(client.clientId);
      if (existing) return provider.Grant.find(existing);
      const grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid profile');
      await grant.save();
      return grant;
    },
    renderError: (ctx, out) => {
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = `统一身份认证错误 / identity provider error: ${String(out['error'])}: ${String(out['error_description'] ?? '')}`;
    },
  };
}

/** Starts the provider on loopback. */
export async function startIdp(opts: StartIdpOptions): Promise<RunningIdp> {
  const host = opts.host ?? '127.0.0.1';
  const accounts = new Map(opts.accounts.map((a) => [a.subject, a]));
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host}:${port}`;
  const clients = [...(opts.clients ?? [])];
  let provider = new Provider(issuer, providerConfig(clients, accounts));
  let oidcCallback = provider.callback();

  const handleInteraction = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    uid: string,
    isLogin: boolean,
  ): Promise<void> => {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    if (!isLogin || req.method !== 'POST') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(renderLoginPage({ action: `/interaction/${uid}/login` }));
      return;
    }
    const form = await readForm(req);
    const username = form.get('username') ?? '';
    const account = [...accounts.values()].find(
      (a) => a.username === username && a.password === (form.get('password') ?? ''),
    );
    if (!account) {
      res.writeHead(401, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      });
      res.end(renderLoginPage({ action: `/interaction/${uid}/login`, failed: true }));
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.subject } },
      { mergeWithLastSubmission: false },
    );
  };

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const pathname = new URL(req.url ?? '/', issuer).pathname;
    const match = INTERACTION_PATH.exec(pathname);
    if (!match) {
      void oidcCallback(req, res);
      return;
    }
    handleInteraction(req, res, match[1] ?? '', match[2] !== undefined).catch((err: Error) => {
      if (res.headersSent) return res.destroy();
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`登录请求无效或已过期 / login request invalid or expired: ${err.message}`);
    });
  });

  return {
    issuer,
    putAccount: (account) => void accounts.set(account.subject, account),
    registerClient: (client) => {
      clients.push(client);
      provider = new Provider(issuer, providerConfig(clients, accounts));
      oidcCallback = provider.callback();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
