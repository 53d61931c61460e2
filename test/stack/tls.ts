import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './shell.js';

/** A fresh RSA key and a self-signed certificate for it, valid for a week. */
async function selfSigned(key: string, cert: string, subject: string): Promise<void> {
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '7', '-subj', subject]);
}

export interface TlsFiles {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

/** A CA made for this run and a loopback server certificate signed by it. */
export async function makeTls(dir: string): Promise<TlsFiles> {
  const caCert = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca-key.pem');
  await selfSigned(caKey, caCert, '/CN=acr-ship local stack CA');
  const server = await issueServerCert(dir, 'server', { caCert, caKey }, ['IP:127.0.0.1', 'DNS:localhost']);
  return { caCert, caKey, ...server };
}

/** A server key and certificate `<name>.pem` for the given subjectAltNames, signed by the CA. */
export async function issueServerCert(
  dir: string,
  name: string,
  ca: { caCert: string; caKey: string },
  altNames: string[],
): Promise<{ cert: string; key: string }> {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}-key.pem`);
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  writeFileSync(ext, `subjectAltName=${altNames.join(',')}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  const cn = (altNames[0] ?? 'localhost').replace(/^(IP|DNS):/, '');
  await run('openssl', ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${cn}`]);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.caCert,
    '-CAkey',
    ca.caKey,
    '-CAcreateserial',
    '-out',
    cert,
    '-days',
    '7',
    '-extfile',
    ext,
  ]);
  return { cert, key };
}

/**
 * The key and self-signed certificate the token server signs registry tokens with; the registry
 * trusts exactly this certificate (its `rootcertbundle`).
 */
export async function makeTokenSigner(dir: string): Promise<{ key: string; cert: string }> {
  const key = join(dir, 'token-signer-key.pem');
  const cert = join(dir, 'token-signer.pem');
  await selfSigned(key, cert, '/CN=acr-ship registry token signer');
  return { key, cert };
}

/**
 * System roots plus the stack CA, for Go programs (buildx fetches registry tokens itself, from the
 * emulator, and Go reads its roots from SSL_CERT_FILE).
 */
export function writeTrustBundle(dir: string, caCert: string): string {
  const bundle = join(dir, 'ca-bundle.pem');
  const system = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt'].find((f) => existsSync(f));
  writeFileSync(bundle, (system ? readFileSync(system, 'utf8') + '\n' : '') + readFileSync(caCert, 'utf8'));
  return bundle;
}
