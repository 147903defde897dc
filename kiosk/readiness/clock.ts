/** Reads `timedatectl show -p NTPSynchronized` (one `NTPSynchronized=yes|no` line). */
export function parseNtpSynchronized(output: string): boolean | undefined {
  const match = /^NTPSynchronized=(yes|no)\s*$/m.exec(output);
  return match ? match[1] === 'yes' : undefined;
}
