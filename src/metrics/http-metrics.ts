import type { FastifyInstance } from 'fastify';

/** Upper bounds of the latency buckets, in seconds (prom-client's defaults: 5 ms to 10 s). */
export const LATENCY_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** The route label of every request no route matched: one series, whatever the URL. */
export const UNMATCHED_ROUTE = 'unmatched';

const REQUESTS = 'http_requests_total';
const DURATION = 'http_request_duration_seconds';

/** One (route, method, status) combination. */
interface Series {
  /** `method="GET",route="/api/v1/users/me",status_code="200"`, formatted once. */
  readonly labels: string;
  /** Observations per bucket, not cumulative; the last slot counts those above every bound. */
  readonly buckets: Float64Array;
  sum: number;
  count: number;
}

/** A label value in the text format: backslash, double quote and line feed escaped. */
const labelValue = (value: string) =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * Request counts and latencies by route template, method and status, kept off prom-client on the
 * hot path: its `observe` builds and hashes a label object on every call. Here a response costs
 * three map lookups by values Fastify already holds (the route's template string, the method,
 * the status number) and a few additions; the only allocation is the small object Fastify's
 * `routeOptions` getter returns. The series are written out in the text format on scrape.
 * Labels never grow with traffic: templates are the registered routes, every unmatched URL
 * shares `route="unmatched"`, and Node accepts only its known methods and three-digit statuses.
 */
export class HttpMetrics {
  private readonly routes = new Map<string, Map<string, Map<number, Series>>>();

  /**
   * One onResponse hook for every route (Fastify attaches hooks to routes when it gets ready, so
   * routes registered before this call are covered too). A callback hook, not an async one: no
   * promise per request.
   */
  listen(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', (request, reply, done) => {
      this.record(
        request.routeOptions.url ?? UNMATCHED_ROUTE,
        request.method,
        reply.statusCode,
        reply.elapsedTime / 1000,
      );
      done();
    });
  }

  /** Counts one response; `seconds` from the request's arrival to the response's last byte. */
  record(route: string, method: string, status: number, seconds: number): void {
    let byMethod = this.routes.get(route);
    if (byMethod === undefined) this.routes.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (byStatus === undefined) byMethod.set(method, (byStatus = new Map()));
    let series = byStatus.get(status);
    if (series === undefined) {
      series = {
        labels: `method="${labelValue(method)}",route="${labelValue(route)}",status_code="${status}"`,
        buckets: new Float64Array(LATENCY_BUCKETS.length + 1),
        sum: 0,
        count: 0,
      };
      byStatus.set(status, series);
    }
    let bucket = 0;
    while (bucket < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[bucket]) bucket += 1;
    series.buckets[bucket] += 1;
    series.sum += seconds;
    series.count += 1;
  }

  /** Both metrics in the Prometheus text format (0.0.4), each block ending in a newline. */
  exposition(): string {
    const all: Series[] = [];
    for (const byMethod of this.routes.values())
      for (const byStatus of byMethod.values()) all.push(...byStatus.values());
    const requests = [
      `# HELP ${REQUESTS} HTTP requests answered, by route template, method and status.`,
      `# TYPE ${REQUESTS} counter`,
      ...all.map((s) => `${REQUESTS}{${s.labels}} ${s.count}`),
    ];
    const duration = [
      `# HELP ${DURATION} Time from a request's arrival to its response's last byte, by route template, method and status.`,
      `# TYPE ${DURATION} histogram`,
    ];
    for (const s of all) {
      let cumulative = 0;
      LATENCY_BUCKETS.forEach((bound, i) => {
        cumulative += s.buckets[i];
        duration.push(`${DURATION}_bucket{le="${bound}",${s.labels}} ${cumulative}`);
      });
      duration.push(
        `${DURATION}_bucket{le="+Inf",${s.labels}} ${s.count}`,
        `${DURATION}_sum{${s.labels}} ${s.sum}`,
        `${DURATION}_count{${s.labels}} ${s.count}`,
      );
    }
    return `${requests.join('\n')}\n\n${duration.join('\n')}\n`;
  }
}
