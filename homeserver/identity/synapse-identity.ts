/**
 * The identity part of homeserver.yaml: Synapse's own OIDC single sign-on against the province's
 * identity platform, and LDAP password sign-in through matrix-synapse-ldap3. Pure; the config
 * builder merges its output into the rest. See docs/identity.md for the account-binding design.
 */
import path from 'node:path';
import { KIT_DIR } from '../paths';

/** The IdP id in homeserver.yaml; Synapse prefixes it, so the `auth_provider` of linked ids is `oidc-province`. */
export const OIDC_IDP_ID = 'province';

/** `auth_provider` under which a person's subject is linked to their account (admin API `external_ids`). */
export const OIDC_AUTH_PROVIDER = `oidc-${OIDC_IDP_ID}`;

/** Where the kit's own SSO pages (errors in zh-CN and English) live. */
export const SSO_TEMPLATE_DIR = path.join(KIT_DIR, 'templates');

/** OIDC single sign-on settings of an instance. */
export interface OidcSettings {
  /** The identity platform's issuer URL (discovery at `<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  clientId: string;
  /** Owner-only file holding the client secret (never homeserver.yaml). */
  clientSecretPath: string;
  /** Button label (default 统一身份认证). */
  idpName?: string;
  /**
   * Prefixes of the Hongyan apps' redirect URLs (web app origin + `/`, `hongyan://sso-callback`):
   * Synapse hands the login token to these without its "continue to your app?" page.
   */
  appRedirectUrls: string[];
}

/** LDAP sign-in settings (matrix-synapse-ldap3). */
export interface LdapSettings {
  /** `ldap://host:port`. */
  uri: string;
  /** Base of the people entries, e.g. `ou=people,dc=hl,dc=gov,dc=cn`. */
  base: string;
  /** Attribute holding the Matrix localpart (default `uid`). */
  uidAttribute?: string;
  /** Only entries matching this filter may sign in (disabled people excluded). */
  filter?: string;
  /** Bind DN and password file for searching; anonymous search when absent. */
  bindDn?: string;
  bindPasswordPath?: string;
}

/** Identity settings of an instance; absent parts are off. */
export interface IdentitySettings {
  oidc?: OidcSettings;
  ldap?: LdapSettings;
}

/** The keys this module adds to homeserver.yaml. */
export interface IdentitySynapseConfig {
  oidc_providers?: Array<Record<string, unknown>>;
  sso?: { client_whitelist: string[]; update_profile_information: boolean };
  templates?: { custom_template_directory: string };
  modules?: Array<{ module: string; config: Record<string, unknown> }>;
  password_config?: { enabled?: boolean; localdb_enabled?: boolean; policy?: object };
}

function isLoopbackHttp(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
}

function oidcProvider(oidc: OidcSettings): Record<string, unknown> {
  return {
    idp_id: OIDC_IDP_ID,
    idp_name: oidc.idpName ?? '统一身份认证',
    issuer: oidc.issuer,
    client_id: oidc.clientId,
    client_secret_path: oidc.clientSecretPath,
    client_auth_method: 'client_secret_basic',
    scopes: ['openid', 'profile'],
    pkce_method: 'always',
    user_profile_method: 'userinfo_endpoint',
    // Metadata checks insist on https; only a loopback stand-in provider may skip them.
    ...(isLoopbackHttp(oidc.issuer) ? { skip_verification: true } : {}),
    // Accounts are never created or claimed by a claim: only a subject an administrator linked
    // to a provisioned account (admin API external_ids) signs in. A claim naming someone else's
    // localpart is refused, never taken over.
    enable_registration: false,
    allow_existing_users: false,
    user_mapping_provider: {
      config: {
        subject_template: '{{ user.sub }}',
        localpart_template: '{{ user.preferred_username }}',
        display_name_template: '{{ user.name }}',
      },
    },
  };
}

function ldapModule(ldap: LdapSettings): { module: string; config: Record<string, unknown> } {
  return {
    module: 'ldap_auth_provider.LdapAuthProviderModule',
    config: {
      enabled: true,
      // Search for the person's entry (people sit in nested unit OUs), then bind as them.
      mode: 'search',
      uri: ldap.uri,
      start_tls: false,
      base: ldap.base,
      attributes: { uid: ldap.uidAttribute ?? 'uid', mail: 'mail', name: 'cn' },
      ...(ldap.filter ? { filter: ldap.filter } : {}),
      ...(ldap.bindDn ? { bind_dn: ldap.bindDn } : {}),
      ...(ldap.bindPasswordPath ? { bind_password_file: ldap.bindPasswordPath } : {}),
    },
  };
}

/** Builds the identity keys of homeserver.yaml (empty when no identity source is configured). */
export function buildIdentityConfig(identity: IdentitySettings | undefined): IdentitySynapseConfig {
  if (!identity) return {};
  const out: IdentitySynapseConfig = {};
  if (identity.oidc) {
    out.oidc_providers = [oidcProvider(identity.oidc)];
    out.sso = {
      client_whitelist: [...identity.oidc.appRedirectUrls],
      update_profile_information: false,
    };
    out.templates = { custom_template_directory: SSO_TEMPLATE_DIR };
  }
  if (identity.ldap) out.modules = [ldapModule(identity.ldap)];
  return out;
}
