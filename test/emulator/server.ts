/**
 * The ACR emulator: a real HTTP(S) server on loopback that behaves like the parts of Alibaba Cloud
 * a login touches, and is the stack registry's token server.
 *
 *   GET  /tokens                                  cr 2016-06-07 GetAuthorizationToken (ROA, signed)
 *   GET|POST /?Action=GetAuthorizationToken       cr 2018-12-01 (RPC, signed, InstanceId)
 *   POST /?Action=AssumeRoleWithOIDC              STS 2015-04-01 (anonymous; the OIDC token is the credential)
 *   GET  /oidc/token?audience=…                   GitHub-style ID token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL)
 *   GET  /oidc/.well-known/openid-configuration, /oidc/.well-known/jwks
 *   GET|POST /token                               Distribution token server (realm) for the registry
 *   /__emulator/health | issued | expire | sts    control endpoints for tests (bearer control token)
 *
 * Signed calls are checked with the emulator's own canonicalisation (acs-auth.ts): wrong keys,
 * wrong secrets, stale timestamps and reused nonces are refused with ACR-style error bodies. The
 * token server accepts the fixed account passwords and exactly the temporary passwords issued
 * here, until they expire, and only for the registry's region.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, randomUUID, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { roaExpected, rpcExpected, sameSignature } from './acs-auth.js';
import type { EmulatorConfig } from './config.js';
import { publicJwk, signRs256, verifyWithJwks, type Jwk } from './jwt.js';

export interface IssuedPassword {
  username: string;
  password: string;
  region: string;
  instanceId?: string;
  expiresAt: number;
}

export interface IssuedSts {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiresAt: number;
  roleArn: string;
}

export interface EmulatorState {
  passwords: Map<string, IssuedPassword>;
  sts: Map<string, IssuedSts>;
  idTokens: string[];
  nonces: Map<string, number>;
}

export interface Emulator {
  url: string;
  port: number;
  state: EmulatorState;
  close(): Promise<void>;
}

/** Requests more than 15 minutes off are refused, and nonces are remembered that long. */
const WINDOW_MS = 15 * 60_000;

class AcsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 256 * 1024) req.destroy(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function secretToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** oidc:sub patterns where `*` matches any run of characters. */
function subjectMatches(pattern: string, subject: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(subject);
}

/** Distribution scopes: `repository:name:pull,push` (the name may hold colons). */
function parseScopes(values: string[]): { type: string; name: string; actions: string[] }[] {
  const scopes = [];
  for (const value of values.flatMap((v) => v.split(' ')).filter(Boolean)) {
    const first = value.indexOf(':');
    const last = value.lastIndexOf(':');
    if (first < 0 || last === first) continue;
    scopes.push({
      type: value.slice(0, first),
      name: value.slice(first + 1, last),
      actions: value
        .slice(last + 1)
        .split(',')
        .filter(Boolean),
    });
  }
  return scopes;
}

export async function startEmulator(config: EmulatorConfig, options: { now?: () => number } = {}): Promise<Emulator> {
  const now = options.now ?? Date.now;
  const state: EmulatorState = { passwords: new Map(), sts: new Map(), idTokens: [], nonces: new Map() };
  const oidcKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const oidcKid = randomBytes(8).toString('hex');
  const jwks: { keys: Jwk[] } = { keys: [publicJwk(oidcKey, oidcKid)] };
  const registryKey: KeyObject = createPrivateKey(readFileSync(config.registry.signingKey));
  const registryCertDer = new X509Certificate(readFileSync(config.registry.signingCert)).raw.toString('base64');
  let baseUrl = '';
  const issuer = (): string => `${baseUrl}/oidc`;

  // ---- Alibaba Cloud caller authentication (shared by ROA and RPC) ----

  function checkTime(value: string | undefined, what: string): void {
    const at = value ? Date.parse(value) : NaN;
    if (Number.isNaN(at)) throw new AcsError(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
    if (Math.abs(now() - at) > WINDOW_MS)
      throw new AcsError(400, 'InvalidTimeStamp.Expired', `Specified time stamp or date value is expired. (${what})`);
  }

  function useNonce(nonce: string | undefined): void {
    if (!nonce) throw new AcsError(400, 'MissingSignatureNonce', 'SignatureNonce is mandatory for this action.');
    for (const [n, at] of state.nonces) if (now() - at > WINDOW_MS) state.nonces.delete(n);
    if (state.nonces.has(nonce)) throw new AcsError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    state.nonces.set(nonce, now());
  }

  interface Caller {
    secret: string;
    sts?: IssuedSts;
  }

  function caller(accessKeyId: string | undefined): Caller {
    const key = config.accessKeys.find((k) => k.id === accessKeyId);
    if (key) return { secret: key.secret };
    const sts = accessKeyId ? state.sts.get(accessKeyId) : undefined;
    if (sts) return { secret: sts.accessKeySecret, sts };
    throw new AcsError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  }

  function checkSecurityToken(c: Caller, token: string | undefined): void {
    if (!c.sts) return;
    if (!token) throw new AcsError(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.');
    if (token !== c.sts.securityToken)
      throw new AcsError(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
    if (now() >= c.sts.expiresAt) throw new AcsError(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
  }

  function checkRegion(region: string | undefined): string {
    if (!region || !config.regions.includes(region))
      throw new AcsError(400, 'InvalidRegionId', `The specified region '${region ?? ''}' does not exist.`);
    return region;
  }

  function issuePassword(c: Caller, username: string, region: string, instanceId?: string): IssuedPassword {
    let expiresAt = now() + config.passwordTtlSeconds * 1000;
    // With STS credentials the password lasts no longer than the STS token.
    if (c.sts) expiresAt = Math.min(expiresAt, c.sts.expiresAt);
    const issued = { username, password: secretToken(48), region, instanceId, expiresAt };
    state.passwords.set(issued.password, issued);
    return issued;
  }

  // ---- cr 2016-06-07 GET /tokens (ROA) ----

  function roaTokens(req: IncomingMessage, url: URL): unknown {
    const h = req.headers;
    const auth = /^acs ([^:]+):(.+)$/.exec(String(h.authorization ?? ''));
    if (!auth) throw new AcsError(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
    if (h['x-acs-version'] !== '2016-06-07') throw new AcsError(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
    if (h['x-acs-signature-method'] !== 'HMAC-SHA1')
      throw new AcsError(400, 'InvalidSignatureMethod', 'Specified signature method is not valid.');
    checkTime(String(h.date ?? ''), 'Date');
    const c = caller(auth[1]);
    const expected = roaExpected(req.method ?? 'GET', h, url.pathname, url.searchParams, c.secret);
    if (!sameSignature(auth[2] ?? '', expected.signature)) {
      throw new AcsError(
        400,
        'SignatureDoesNotMatch',
        `Specified signature is not matched with our calculation. server string to sign is:${expected.stringToSign}`,
      );
    }
    useNonce(h['x-acs-signature-nonce'] as string | undefined);
    checkSecurityToken(c, h['x-acs-security-token'] as string | undefined);
    const region = checkRegion(h['x-acs-region-id'] as string | undefined);
    const issued = issuePassword(c, 'cr_temp_user', region);
    return {
      data: { authorizationToken: issued.password, tempUserName: issued.username, expireDate: issued.expiresAt },
      requestId: randomUUID().toUpperCase(),
    };
  }

  // ---- RPC: cr 2018-12-01 GetAuthorizationToken, STS AssumeRoleWithOIDC ----

  function rpcGetAuthorizationToken(method: string, params: Map<string, string>): unknown {
    if (params.get('Version') !== '2018-12-01') throw new AcsError(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
    if (params.get('SignatureMethod') !== 'HMAC-SHA1' || params.get('SignatureVersion') !== '1.0') {
      throw new AcsError(400, 'InvalidSignatureMethod', 'Specified signature method is not valid.');
    }
    const ts = params.get('Timestamp') ?? '';
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(ts))
      throw new AcsError(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
    checkTime(ts, 'Timestamp');
    const c = caller(params.get('AccessKeyId'));
    const expected = rpcExpected(method, params, c.secret);
    if (!sameSignature(params.get('Signature') ?? '', expected.signature)) {
      throw new AcsError(
        400,
        'SignatureDoesNotMatch',
        `Specified signature is not matched with our calculation. server string to sign is:${expected.stringToSign}`,
      );
    }
    useNonce(params.get('SignatureNonce'));
    checkSecurityToken(c, params.get('SecurityToken'));
    const region = checkRegion(params.get('RegionId'));
    const instanceId = params.get('InstanceId');
    if (!instanceId) throw new AcsError(400, 'MissingInstanceId', 'InstanceId is mandatory for this action.');
    const instance = config.instances.find((i) => i.id === instanceId);
    if (!instance || instance.region !== region)
      throw new AcsError(404, 'INSTANCE_NOT_EXIST', `The instance ${instanceId} does not exist in ${region}.`);
    const issued = issuePassword(c, 'temp_user_cr', region, instanceId);
    return {
      RequestId: randomUUID().toUpperCase(),
      Code: 'success',
      IsSuccess: true,
      TempUsername: issued.username,
      AuthorizationToken: issued.password,
      ExpireTime: issued.expiresAt,
    };
  }

  function assumeRoleWithOidc(params: Map<string, string>): unknown {
    if (params.get('Version') !== '2015-04-01') throw new AcsError(400, 'InvalidVersion', 'Specified parameter Version is not valid.');
    const ts = params.get('Timestamp');
    if (ts) checkTime(ts, 'Timestamp');
    if (params.get('OIDCProviderArn') !== config.oidc.providerArn)
      throw new AcsError(401, 'AuthenticationFail.NoPermission', 'No such OIDC Provider registered.');
    const token = params.get('OIDCToken') ?? '';
    if (!token) throw new AcsError(401, 'AuthenticationFail.OIDCToken.Invalid', 'The OIDCToken can not empty.');
    const decoded = verifyWithJwks(token, jwks);
    if ('problem' in decoded) {
      throw new AcsError(
        401,
        decoded.problem === 'signature' ? 'AuthenticationFail.OIDCToken.InvalidSignature' : 'AuthenticationFail.OIDCToken.Invalid',
        decoded.detail,
      );
    }
    const { claims } = decoded;
    if (claims.iss !== issuer())
      throw new AcsError(401, 'AuthenticationFail.OIDCToken.Invalid', `The issuer ${String(claims.iss)} does not match the OIDC provider.`);
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now())
      throw new AcsError(401, 'AuthenticationFail.OIDCToken.Expired', 'This JsonWebToken is expired.');
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.some((a) => typeof a === 'string' && config.oidc.clientIds.includes(a))) {
      throw new AcsError(401, 'AuthenticationFail.OIDCToken.AudienceNotMatch', 'Invalid audience.');
    }
    const role = config.oidc.roles.find((r) => r.arn === params.get('RoleArn'));
    if (!role) throw new AcsError(404, 'EntityNotExist.Role', 'The role not exists.');
    const subject = String(claims.sub ?? '');
    if (!role.subjects.some((p) => subjectMatches(p, subject)))
      throw new AcsError(401, 'AuthenticationFail.NoPermission', 'There is no permission');
    const sessionName = params.get('RoleSessionName') ?? '';
    if (!/^[A-Za-z0-9.@_-]{2,64}$/.test(sessionName))
      throw new AcsError(400, 'InvalidParameter.RoleSessionName', 'The parameter RoleSessionName is invalid.');
    const duration = Number(params.get('DurationSeconds') ?? '3600');
    if (!Number.isInteger(duration) || duration < 900 || duration > role.maxSessionDuration) {
      throw new AcsError(400, 'InvalidParameter.DurationSeconds', `DurationSeconds must be between 900 and ${role.maxSessionDuration}.`);
    }
    const sts = mintSts(duration, role.arn);
    return {
      RequestId: randomUUID().toUpperCase(),
      OIDCTokenInfo: { Subject: subject, Issuer: claims.iss, ClientIds: audiences.join(',') },
      AssumedRoleUser: {
        Arn: `${role.arn.replace(':role/', ':assumed-role/')}/${sessionName}`,
        AssumedRoleId: `3${randomBytes(8).toString('hex')}:${sessionName}`,
      },
      Credentials: {
        AccessKeyId: sts.accessKeyId,
        AccessKeySecret: sts.accessKeySecret,
        SecurityToken: sts.securityToken,
        Expiration: new Date(sts.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      },
    };
  }

  function mintSts(seconds: number, roleArn: string): IssuedSts {
    const sts = {
      accessKeyId: `STS.NT${randomBytes(12).toString('hex')}`,
      accessKeySecret: secretToken(30),
      securityToken: `CAIS${secretToken(96)}`,
      expiresAt: now() + seconds * 1000,
      roleArn,
    };
    state.sts.set(sts.accessKeyId, sts);
    return sts;
  }

  // ---- GitHub-style OIDC issuer ----

  function oidcToken(req: IncomingMessage, url: URL, res: ServerResponse): void {
    if (req.headers.authorization !== `Bearer ${config.oidc.requestToken}`) {
      send(res, 401, { message: 'Bad credentials' });
      return;
    }
    const repository = url.searchParams.get('repository') ?? 'acme/app';
    const ref = url.searchParams.get('ref') ?? 'refs/heads/main';
    const expired = url.searchParams.get('expired') === '1';
    const t = Math.floor(now() / 1000) - (expired ? 1200 : 0);
    const claims = {
      jti: randomUUID(),
      sub: url.searchParams.get('sub') ?? `repo:${repository}:ref:${ref}`,
      aud: url.searchParams.get('audience') ?? `https://github.com/${repository.split('/')[0]}`,
      ref,
      repository,
      repository_owner: repository.split('/')[0],
      event_name: 'push',
      iss: issuer(),
      iat: t,
      nbf: t - 5,
      exp: t + (expired ? 600 : 300),
    };
    const jwt = signRs256({ kid: oidcKid }, claims, oidcKey);
    state.idTokens.push(jwt);
    send(res, 200, { count: jwt.length, value: jwt });
  }

  // ---- Distribution token server ----

  /** Who may have a registry token: a fixed account, or a live temporary password for this region. */
  function authenticate(username: string, password: string): { until?: number } | { refused: string } {
    if (config.accounts.some((a) => a.username === username && a.password === password)) return {};
    const issued = state.passwords.get(password);
    if (!issued || issued.username !== username) return { refused: 'unknown username or password' };
    if (now() >= issued.expiresAt) return { refused: 'the temporary password has expired' };
    if (issued.region !== config.registryRegion)
      return { refused: `the temporary password was issued for region ${issued.region}, not ${config.registryRegion}` };
    return { until: issued.expiresAt };
  }

  function registryToken(username: string, until: number | undefined, scopes: string[]): Record<string, unknown> {
    const t = Math.floor(now() / 1000);
    // A token never outlives the temporary password it was issued for.
    const exp = Math.min(t + config.registry.tokenTtlSeconds, until !== undefined ? Math.floor(until / 1000) : Infinity);
    const access = parseScopes(scopes).map((s) => ({
      type: s.type,
      name: s.name,
      actions: s.actions.filter((a) => ['pull', 'push', 'delete', '*'].includes(a)),
    }));
    const token = signRs256(
      { x5c: [registryCertDer] },
      { iss: config.registry.issuer, sub: username, aud: config.registry.service, exp, nbf: t - 5, iat: t, jti: randomUUID(), access },
      registryKey,
    );
    return { token, access_token: token, expires_in: exp - t, issued_at: new Date(t * 1000).toISOString() };
  }

  function tokenServer(req: IncomingMessage, url: URL, body: string, res: ServerResponse): void {
    const unauthorized = (why: string): void =>
      send(
        res,
        401,
        { errors: [{ code: 'UNAUTHORIZED', message: `authentication required: ${why}` }] },
        { 'www-authenticate': `Basic realm="${baseUrl}/token"` },
      );
    if (url.searchParams.get('service') && url.searchParams.get('service') !== config.registry.service && req.method === 'GET') {
      send(res, 400, { errors: [{ code: 'DENIED', message: `unknown service ${url.searchParams.get('service')}` }] });
      return;
    }
    if (req.method === 'POST') {
      const form = new URLSearchParams(body);
      if (form.get('grant_type') !== 'password') {
        send(res, 400, { error: 'unsupported_grant_type' });
        return;
      }
      const username = form.get('username') ?? '';
      const who = authenticate(username, form.get('password') ?? '');
      if ('refused' in who) return unauthorized(who.refused);
      const t = registryToken(username, who.until, form.getAll('scope'));
      send(res, 200, {
        access_token: t.access_token,
        expires_in: t.expires_in,
        issued_at: t.issued_at,
        scope: form.getAll('scope').join(' '),
      });
      return;
    }
    const basic = /^Basic (.+)$/i.exec(String(req.headers.authorization ?? ''));
    if (!basic) {
      // Anonymous: pull access to public repositories only, as ACR grants it.
      const scopes = parseScopes(url.searchParams.getAll('scope'));
      const isPublic = (name: string): boolean => (config.registry.publicRepositories ?? []).some((p) => subjectMatches(p, name));
      if (scopes.length > 0 && scopes.every((s) => s.type === 'repository' && isPublic(s.name) && s.actions.every((a) => a === 'pull'))) {
        send(res, 200, registryToken('', undefined, url.searchParams.getAll('scope')));
        return;
      }
      return unauthorized('no credentials');
    }
    const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const username = decoded.slice(0, colon);
    const who = authenticate(username, decoded.slice(colon + 1));
    if ('refused' in who) return unauthorized(who.refused);
    send(res, 200, registryToken(username, who.until, url.searchParams.getAll('scope')));
  }

  // ---- control endpoints ----

  function control(req: IncomingMessage, url: URL, body: string, res: ServerResponse): void {
    if (url.pathname === '/__emulator/health') return send(res, 200, { ok: true });
    if (req.headers.authorization !== `Bearer ${config.controlToken}`) return send(res, 401, { message: 'control token required' });
    const input = (body ? JSON.parse(body) : {}) as { password?: string; accessKeyId?: string; expiresInSeconds?: number };
    switch (url.pathname) {
      case '/__emulator/issued':
        return send(res, 200, { passwords: [...state.passwords.values()], sts: [...state.sts.values()], idTokens: state.idTokens });
      case '/__emulator/expire': {
        const targets = [
          input.password ? state.passwords.get(input.password) : undefined,
          input.accessKeyId ? state.sts.get(input.accessKeyId) : undefined,
        ];
        const found = targets.filter((x): x is IssuedPassword | IssuedSts => x !== undefined);
        for (const issued of found) issued.expiresAt = now() - 1000;
        return send(res, found.length > 0 ? 200 : 404, { expired: found.length });
      }
      case '/__emulator/sts': {
        const role = config.oidc.roles[0]?.arn ?? '';
        return send(res, 200, mintSts(input.expiresInSeconds ?? 3600, role));
      }
      default:
        return send(res, 404, { message: 'no such control endpoint' });
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const body = await readBody(req);
    const host = String(req.headers.host ?? '');
    try {
      if (url.pathname.startsWith('/__emulator/')) return control(req, url, body, res);
      if (url.pathname === '/token') return tokenServer(req, url, body, res);
      if (url.pathname === '/oidc/token') return oidcToken(req, url, res);
      if (url.pathname === '/oidc/.well-known/openid-configuration')
        return send(res, 200, { issuer: issuer(), jwks_uri: `${issuer()}/.well-known/jwks` });
      if (url.pathname === '/oidc/.well-known/jwks') return send(res, 200, jwks);
      if (url.pathname === '/tokens' && req.method === 'GET') return send(res, 200, roaTokens(req, url));
      if (url.pathname === '/') {
        const params = new Map(url.searchParams);
        if (req.method === 'POST') for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
        const action = params.get('Action');
        if (action === 'GetAuthorizationToken') return send(res, 200, rpcGetAuthorizationToken(req.method ?? 'GET', params));
        if (action === 'AssumeRoleWithOIDC') return send(res, 200, assumeRoleWithOidc(params));
      }
      throw new AcsError(404, 'InvalidApi.NotFound', 'Specified api is not found, please check your url and method.');
    } catch (err) {
      if (!(err instanceof AcsError)) throw err;
      send(res, err.status, {
        RequestId: randomUUID().toUpperCase(),
        HostId: host,
        Code: err.code,
        Message: err.message,
        Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}`,
      });
    }
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { Code: 'InternalError', Message: err instanceof Error ? err.message : String(err) });
    });
  };
  const server: Server = config.tls
    ? createHttpsServer({ cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) }, listener)
    : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `${config.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    url: baseUrl,
    port,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
