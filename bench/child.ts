import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A bench helper process: a TypeScript file run with tsx in its own Node process, ready once a
 * line of its stdout matches `ready`, stopped by closing its stdin (SIGKILL after a grace period).
 */
export interface TsxChild {
  child: ChildProcess;
  pid: number;
  /** the match of the ready line */
  ready: RegExpExecArray;
  /** Ends the child; returns at once when it has already exited. */
  stop(): Promise<void>;
}

export interface TsxChildOptions {
  /** absolute path of the .ts file */
  script: string;
  args?: string[];
  /** node options before `--import tsx`, e.g. `--cpu-prof` */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /** tested against the whole stdout so far; use the `m` flag with `^…$` */
  ready: RegExp;
  /** names the child in errors */
  name: string;
  /** copy the child's stdout to our stderr */
  echo?: boolean;
  /** how long stop() waits after closing stdin before SIGKILL */
  graceMs?: number;
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

export async function startTsxChild(opts: TsxChildOptions): Promise<TsxChild> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', opts.script, ...(opts.args ?? [])], {
    env: opts.env ?? process.env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  // stdout is read to the end (never left to fill the pipe); it is searched only until ready.
  let buf: string | null = '';
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (opts.echo) process.stderr.write(d);
      if (buf === null) return;
      buf += d.toString();
      const m = opts.ready.exec(buf);
      if (m) {
        buf = null;
        resolve(m);
      }
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`${opts.name} exited (${signal ?? code}) before it was ready`)));
  });
  // stdin may be closed by a child that already exited: ignore EPIPE there.
  child.stdin!.on('error', () => {});
  return {
    child,
    pid: child.pid!,
    ready,
    async stop() {
      if (hasExited(child)) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin!.end();
      const t = setTimeout(() => child.kill('SIGKILL'), opts.graceMs ?? 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
