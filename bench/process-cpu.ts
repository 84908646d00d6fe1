/**
 * Where the CPU went: the CPU time of the bench's processes and their children, read from Linux's
 * /proc (elsewhere the figures are left out). On a machine of two cores every process measured
 * competes for the same CPU, so a target's throughput follows its CPU per update, all processes
 * counted.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The CPU clock's ticks per second, as procfs counts them (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** A process and all its descendants. */
function family(pid: number): number[] {
  const children = readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
  );
  return [pid, ...children.flatMap(family)];
}

/** User and system CPU ms of a process alone, 0 once it is gone. */
function cpuMsOf(pid: number): number {
  try {
    // The fields after the command (which may hold spaces) start at the process state; utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** A process to measure, with its descendants or alone (the bench's own, whose children are measured apart). */
export interface Measured {
  pid: number | undefined;
  alone?: boolean;
}

/** CPU ms of each named process, or null where /proc is not. */
export function cpuMs<K extends string>(processes: Record<K, Measured>): Record<K, number> | null {
  try {
    const entries = Object.entries<Measured>(processes).map(([name, { pid, alone }]) => {
      const pids = pid === undefined ? [] : alone ? [pid] : family(pid);
      return [name, pids.reduce((sum, p) => sum + cpuMsOf(p), 0)];
    });
    return Object.fromEntries(entries) as Record<K, number>;
  } catch {
    return null;
  }
}
