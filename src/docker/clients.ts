import { dockerConfigDir, findCredentials, readDockerConfig, type DockerConfigFile } from './config.js';
import { RegistryClient } from './registry.js';

/**
 * Registry API clients that authenticate with the credentials the docker CLI would use for each
 * host (config.json, credential helpers), one per host, so tokens are reused across calls.
 */
export class RegistryClients {
  private readonly clients = new Map<string, Promise<RegistryClient>>();
  private config: DockerConfigFile | undefined;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  for(host: string): Promise<RegistryClient> {
    let client = this.clients.get(host);
    if (!client) {
      this.config ??= readDockerConfig(dockerConfigDir(this.env));
      const config = this.config;
      client = findCredentials(config, host, this.env).then((credentials) => new RegistryClient(host, { credentials, env: this.env }));
      this.clients.set(host, client);
    }
    return client;
  }
}
