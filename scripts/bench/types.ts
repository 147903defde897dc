/** One measured figure, printed by `npm run bench` and quoted in issue notes. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  /** Our figure divided by the peer's, measured in the same run (e.g. our worker vs gst-launch-1.0). */
  ratio?: { peer: string; value: number };
  target?: string;
}

export interface BenchSuite {
  name: string;
  run(): Promise<BenchFigure[]>;
}
