// A SMART-on-FHIR-shaped authorization server for rounds' login tests, and nothing else.
//
// The OAuth 2 / OpenID Connect side is the real `oidc-provider` (npm, MIT, not ours). Around
// it this file adds what a FHIR server would show a SMART client:
//
//   /fhir/.well-known/smart-configuration   discovery, pointing at the provider's endpoints
//   /fhir/metadata                          a CapabilityStatement with the oauth-uris extension
//   /fhir/Patient/:id                       a resource that needs a live access token (401 else)
//   /fhir/:Type?...                         a search: an empty searchset, to a live token only
//   /interaction/:uid                       a login form (username + password) and a consent form
//   /test/stats                             counters the tests assert on (grants by type)
//   /test/forget-access-token               drops one access token (POST token=...)
//
// Clients, all test-only:
//   rounds-test            public native client: authorization code + PKCE S256, refresh
//                          tokens rotated on every use, loopback redirect on any port
//   rounds-backend-rs384   SMART Backend Services, private_key_jwt with an RS384 key
//   rounds-backend-es384   the same with an ES384 key
// The backend keys and the provider's signing key are generated at every start; the private
// keys of the backend clients are written to $OIDC_STATE_DIR for the tests to sign with.
//
// Env: OIDC_PORT (0 = any free port), OIDC_STATE_DIR (required: url, pid and keys go there),
// OIDC_ACCESS_TTL / OIDC_REFRESH_TTL (seconds), OIDC_TEST_USER / OIDC_TEST_PASSWORD,
// OIDC_WATCH_PID (exit when that process ends, so a killed test leaves no server behind).

import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';

import Provider, { errors } from 'oidc-provider';

const STATE_DIR = process.env.OIDC_STATE_DIR;
if (!STATE_DIR) {
  console.error('[oidc-server] OIDC_STATE_DIR is required');
  process.exit(2);
}
mkdirSync(STATE_DIR, { recursive: true, mode: 0o700 });

const PORT = Number(process.env.OIDC_PORT ?? 0);
const ACCESS_TTL = Number(process.env.OIDC_ACCESS_TTL ?? 300);
const REFRESH_TTL = Number(process.env.OIDC_REFRESH_TTL ?? 3600);
const TEST_USER = process.env.OIDC_TEST_USER ?? 'dr-test';
const TEST_PASSWORD = process.env.OIDC_TEST_PASSWORD ?? 'synthetic-password-1';
const WATCH_PID = Number(process.env.OIDC_WATCH_PID ?? 0);

// launch/patient sits with the resource scopes so that it shows in the token's `scope`.
const USER_SCOPES = ['user/*.rs', 'user/*.read', 'user/Patient.rs', 'user/Observation.rs', 'patient/*.rs', 'launch/patient'];
const SYSTEM_SCOPES = ['system/*.rs', 'system/*.read'];

function writeSecretFile(name, text) {
  const tmp = join(STATE_DIR, `.${name}.tmp`);
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, join(STATE_DIR, name));
}

// Test-only keys, new at every start.
function backendKey(type, options, alg, kid) {
  const { publicKey, privateKey } = generateKeyPairSync(type, options);
  writeSecretFile(`backend-${alg.toLowerCase()}.pem`, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return { ...publicKey.export({ format: 'jwk' }), alg, kid, use: 'sig' };
}
const rsaJwk = backendKey('rsa', { modulusLength: 2048 }, 'RS384', 'rounds-test-rs384');
const ecJwk = backendKey('ec', { namedCurve: 'P-384' }, 'ES384', 'rounds-test-es384');
const signing = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

const server = createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(PORT, '127.0.0.1', resolve);
});
const { port } = server.address();
const ISSUER = `http://127.0.0.1:${port}`;
const FHIR_BASE = `${ISSUER}/fhir`;

const stats = { authorization_code: 0, refresh_token: 0, client_credentials: 0, grant_errors: 0 };

const configuration = {
  clients: [
    {
      client_id: 'rounds-test',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // A native client's loopback redirect may use any port (RFC 8252 section 7.3):
      // oidc-provider ignores the port for native clients on 127.0.0.1.
      redirect_uris: ['http://127.0.0.1/callback'],
    },
    {
      client_id: 'rounds-backend-rs384',
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'RS384',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      jwks: { keys: [rsaJwk] },
    },
    {
      client_id: 'rounds-backend-es384',
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES384',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      jwks: { keys: [ecJwk] },
    },
  ],
  jwks: { keys: [{ ...signing, kid: 'rounds-test-signing', alg: 'RS256', use: 'sig' }] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  scopes: ['openid', 'offline_access', 'fhirUser', 'profile'],
  claims: {
    openid: ['sub'],
    fhirUser: ['fhirUser'],
    profile: ['name'],
  },
  // SMART wants fhirUser in the id_token itself, not only at the userinfo endpoint.
  conformIdTokenClaims: false,
  // SMART's `aud` parameter names the FHIR server; it must be that server's base URL.
  extraParams: {
    async aud(ctx, value) {
      if (ctx.oidc.route === 'authorization' && value !== FHIR_BASE) {
        throw new errors.InvalidRequest(`aud must be the FHIR base URL ${FHIR_BASE}`);
      }
    },
  },
  pkce: { required: () => true },
  enabledJWA: {
    clientAuthSigningAlgValues: ['RS256', 'RS384', 'ES256', 'ES384'],
  },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    revocation: { enabled: true },
    introspection: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // Every token is for the FHIR server: `aud` (not `resource`) is how SMART names it.
      defaultResource: async () => FHIR_BASE,
      useGrantedResource: async () => true,
      getResourceServerInfo: async (ctx, indicator, client) => {
        if (indicator !== FHIR_BASE) throw new errors.InvalidTarget();
        const backend = client.clientAuthMethod === 'private_key_jwt';
        return {
          scope: (backend ? SYSTEM_SCOPES : USER_SCOPES).join(' '),
          audience: FHIR_BASE,
          accessTokenTTL: ACCESS_TTL,
          accessTokenFormat: 'opaque',
        };
      },
    },
  },
  issueRefreshToken: async (ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
  // Every refresh gives a new refresh token and consumes the old one (SMART best practice).
  rotateRefreshToken: true,
  ttl: {
    AccessToken: () => ACCESS_TTL,
    ClientCredentials: () => ACCESS_TTL,
    RefreshToken: () => REFRESH_TTL,
    AuthorizationCode: 60,
    IdToken: 3600,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, fhirUser: `${FHIR_BASE}/Practitioner/${id}`, name: 'Test Clinician (synthetic)' };
      },
    };
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  renderError: (ctx, out) => {
    ctx.type = 'text/plain';
    ctx.body = `error: ${out.error}\n${out.error_description ?? ''}\n`;
  },
};

const provider = new Provider(ISSUER, configuration);
provider.on('grant.success', (ctx) => {
  const type = ctx.oidc.params.grant_type;
  if (type in stats) stats[type] += 1;
});
provider.on('grant.error', () => { stats.grant_errors += 1; });

const page = (title, body) => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function loginForm(uid, error) {
  return page('Sign in (rounds test server)', `${error ? `<p class="error">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
  <label>User <input name="username" autocomplete="username"></label>
  <label>Password <input type="password" name="password" autocomplete="current-password"></label>
  <button type="submit">Sign in</button>
</form>`);
}

function consentForm(uid, details) {
  const scopes = [...(details.missingOIDCScope ?? []), ...Object.values(details.missingResourceScopes ?? {}).flat()];
  return page('Allow rounds?', `<ul>${scopes.map((s) => `<li>${escape(s)}</li>`).join('')}</ul>
<form method="post" action="/interaction/${uid}/confirm"><button type="submit">Allow</button></form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Deny</button></form>`);
}

async function interaction(ctx, uid, action) {
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== uid) ctx.throw(400, 'interaction mismatch');
  const { prompt, params, session, grantId } = details;
  let result;
  if (!action) {
    ctx.type = 'html';
    ctx.body = prompt.name === 'login' ? loginForm(uid) : consentForm(uid, prompt.details);
    return;
  }
  if (ctx.method !== 'POST') ctx.throw(405);
  const form = await readForm(ctx.req);
  if (action === 'login') {
    if (form.get('username') !== TEST_USER || form.get('password') !== TEST_PASSWORD) {
      ctx.type = 'html';
      ctx.body = loginForm(uid, 'Wrong user or password.');
      return;
    }
    result = { login: { accountId: TEST_USER } };
  } else if (action === 'confirm') {
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    if (prompt.details.missingOIDCScope) grant.addOIDCScope(prompt.details.missingOIDCScope.join(' '));
    if (prompt.details.missingOIDCClaims) grant.addOIDCClaims(prompt.details.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(prompt.details.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    result = { consent: { grantId: await grant.save() } };
  } else if (action === 'abort') {
    result = { error: 'access_denied', error_description: 'The user denied access' };
  } else {
    ctx.throw(404);
  }
  const to = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: action !== 'login' });
  ctx.status = 303;
  ctx.redirect(to);
}

function smartConfiguration() {
  return {
    issuer: ISSUER,
    jwks_uri: `${ISSUER}/jwks`,
    authorization_endpoint: `${ISSUER}/auth`,
    token_endpoint: `${ISSUER}/token`,
    revocation_endpoint: `${ISSUER}/token/revocation`,
    introspection_endpoint: `${ISSUER}/token/introspection`,
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    scopes_supported: ['openid', 'fhirUser', 'profile', 'offline_access', ...USER_SCOPES, ...SYSTEM_SCOPES],
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities: [
      'launch-standalone', 'client-public', 'client-confidential-asymmetric', 'sso-openid-connect',
      'context-standalone-patient', 'permission-offline', 'permission-user', 'permission-v2',
    ],
  };
}

function capabilityStatement() {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [{
      mode: 'server',
      security: {
        service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
        extension: [{
          url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
          extension: [
            { url: 'authorize', valueUri: `${ISSUER}/auth` },
            { url: 'token', valueUri: `${ISSUER}/token` },
          ],
        }],
      },
      resource: [{ type: 'Patient', interaction: [{ code: 'read' }] }],
    }],
  };
}

// Whether the request carries a live access token issued for this FHIR base (401 else).
async function authorized(ctx) {
  const header = ctx.get('authorization');
  const token = header.startsWith('Bearer ') ? header.slice(7) : '';
  const found = (await provider.AccessToken.find(token)) ?? (await provider.ClientCredentials.find(token));
  const scopes = new Set((found?.scope ?? '').split(' '));
  const allowed = found && !found.isExpired && found.aud === FHIR_BASE
    && (scopes.has('user/*.rs') || scopes.has('system/*.rs') || scopes.has('user/*.read') || scopes.has('system/*.read'));
  if (!allowed) {
    ctx.status = 401;
    ctx.set('WWW-Authenticate', 'Bearer error="invalid_token"');
    ctx.type = 'application/fhir+json';
    ctx.body = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login', diagnostics: 'invalid or expired access token' }] };
  }
  return allowed;
}

// A resource that answers only to a live access token issued for this FHIR base.
async function fhirRead(ctx, type, id) {
  if (!(await authorized(ctx))) return;
  ctx.type = 'application/fhir+json';
  ctx.body = { resourceType: type, id, name: [{ family: 'Synthetic', given: ['Test'] }] };
}

// A search (for the chart's sections): an empty searchset, to a live access token only.
async function fhirSearch(ctx) {
  if (!(await authorized(ctx))) return;
  ctx.type = 'application/fhir+json';
  ctx.body = { resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] };
}

provider.use(async (ctx, next) => {
  const path = ctx.path;
  let m;
  if (path === '/fhir/.well-known/smart-configuration') {
    ctx.body = smartConfiguration();
  } else if (path === '/fhir/metadata') {
    ctx.type = 'application/fhir+json';
    ctx.body = capabilityStatement();
  } else if ((m = path.match(/^\/fhir\/(Patient|Practitioner)\/([A-Za-z0-9.-]{1,64})$/))) {
    await fhirRead(ctx, m[1], m[2]);
  } else if (/^\/fhir\/[A-Z][A-Za-z]{1,40}$/.test(path) && ctx.method === 'GET') {
    await fhirSearch(ctx);
  } else if ((m = path.match(/^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/))) {
    await interaction(ctx, m[1], m[2]);
  } else if (path === '/test/stats') {
    ctx.body = stats;
  } else if (path === '/test/forget-access-token' && ctx.method === 'POST') {
    // Drop one access token and nothing else (RFC 7009 revocation of an access token would
    // revoke the whole grant here), as a resource server that lost its token cache would.
    const form = await readForm(ctx.req);
    const found = await provider.AccessToken.find(form.get('token') ?? '');
    if (found) await found.destroy();
    ctx.body = { forgotten: Boolean(found) };
  } else {
    // OpenID Connect honours offline_access only with prompt=consent; SMART EHRs issue the
    // refresh token without it, so the test server adds it for them.
    if (path === '/auth' && ctx.method === 'GET' && /(^|\s)offline_access(\s|$)/.test(ctx.query.scope ?? '') && !ctx.query.prompt) {
      ctx.querystring = `${ctx.querystring}&prompt=consent`;
    }
    await next();
    // SMART launch context in the token response, for a client that asked for it.
    if (path === '/token' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
      const granted = String(ctx.body.scope ?? '').split(' ');
      if (granted.includes('launch/patient')) {
        ctx.body.patient = 'rounds-test-patient-1';
        ctx.body.need_patient_banner = true;
      }
    }
  }
});

server.on('request', provider.callback());

writeFileSync(join(STATE_DIR, 'pid'), `${process.pid}\n`);
writeSecretFile('url', `${ISSUER}\n`);
console.error(`[oidc-server] listening on ${ISSUER} (FHIR base ${FHIR_BASE}, access tokens ${ACCESS_TTL}s)`);

if (WATCH_PID > 0) {
  setInterval(() => {
    try {
      process.kill(WATCH_PID, 0);
    } catch {
      console.error(`[oidc-server] process ${WATCH_PID} is gone; stopping`);
      process.exit(0);
    }
  }, 500).unref();
  // unref above lets the server, not the timer, keep node alive
}

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => { server.close(); process.exit(0); });
}
