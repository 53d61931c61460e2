import { exec, type ExecOptions, type ExecResult } from '../base/exec.js';

/**
 * The docker CLI with a fixed environment (DOCKER_CONFIG decides which credentials and which
 * buildx builders it sees). Every docker invocation in the project goes through here.
 */
export class DockerCli {
  constructor(
    readonly env: NodeJS.ProcessEnv = process.env,
    readonly bin = 'docker',
  ) {}

  run(args: readonly string[], options: Omit<ExecOptions, 'env'> = {}): Promise<ExecResult> {
    return exec(this.bin, args, { ...options, env: this.env });
  }
}
