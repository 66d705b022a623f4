import { Counter, Histogram, Registry } from 'prom-client';
import { HttpMetrics, LATENCY_BUCKETS, UNMATCHED_ROUTE } from './http-metrics';

type Observation = [route: string, method: string, status: number, seconds: number];

/** The same observations through prom-client's own counter and histogram. */
async function throughPromClient(observations: Observation[]): Promise<string> {
  const registry = new Registry();
  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'x',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'x',
    labelNames,
    buckets: [...LATENCY_BUCKETS],
    registers: [registry],
  });
  for (const [route, method, status, seconds] of observations) {
    const labels = { method, route, status_code: String(status) };
    requests.inc(labels);
    duration.observe(labels, seconds);
  }
  return registry.metrics();
}

/** Sample lines only, each with its labels sorted, in sorted order. */
function samples(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [, name, labels, value] = /^(\w+)\{(.*)\} (\S+)$/.exec(line)!;
      const sorted = labels.match(/\w+="(?:[^"\\]|\\.)*"/g)!.sort();
      return `${name}{${sorted.join(',')}} ${value}`;
    })
    .sort();
}

describe(HttpMetrics.name, () => {
  const observations: Observation[] = [
    ['/api/v1/auth/login', 'POST', 200, 0.09],
    ['/api/v1/auth/login', 'POST', 200, 0.1], // on a bound: counted as <= it
    ['/api/v1/auth/login', 'POST', 401, 0.004],
    ['/api/v1/users/:id', 'GET', 200, 0.002],
    ['/api/v1/users/:id', 'PATCH', 200, 12], // above every bound: +Inf only
    [UNMATCHED_ROUTE, 'GET', 404, 0.001],
    ['/odd/"quoted"\\path\n', 'GET', 200, 0.3],
  ];

  it('writes what prom-client would write for the same observations, sample for sample', async () => {
    const metrics = new HttpMetrics();
    for (const observation of observations) metrics.record(...observation);
    expect(samples(metrics.exposition())).toEqual(samples(await throughPromClient(observations)));
  });

  it('declares each metric once, with its type, and names no series before a request', () => {
    const text = new HttpMetrics().exposition();
    expect(text).toContain('# TYPE http_requests_total counter\n');
    expect(text).toContain('# TYPE http_request_duration_seconds histogram\n');
    expect(samples(text)).toEqual([]);
  });

  it('keeps one series per route, method and status however many requests', () => {
    const metrics = new HttpMetrics();
    for (let i = 0; i < 1000; i++) metrics.record('/api/v1/users/:id', 'GET', 200, i / 1000);
    const lines = samples(metrics.exposition());
    expect(lines.filter((l) => l.startsWith('http_requests_total'))).toEqual([
      'http_requests_total{method="GET",route="/api/v1/users/:id",status_code="200"} 1000',
    ]);
    expect(lines).toContain(
      'http_request_duration_seconds_bucket{le="0.5",method="GET",route="/api/v1/users/:id",status_code="200"} 501',
    );
  });
});
