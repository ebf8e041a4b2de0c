import { Writable } from 'node:stream';
import { loadConfigSubset } from '../../src/config/config';
import { createLogger, defaultLogFormat, PinoSdkLogger, prettyLine } from '../../src/observability/logger';
import { metricsDestination, metricsExporter } from '../../src/observability/telemetry';

const telemetry = ['metricsBindAddress', 'otlpEndpoint', 'logFormat'] as const;
const load = (env: Record<string, string>, flags: Record<string, string> = {}) =>
  loadConfigSubset(env, flags, telemetry);

it('reads the endpoint, OTLP collector and log format; all off by default', () => {
  expect(load({})).toEqual({ metricsBindAddress: undefined, otlpEndpoint: undefined, logFormat: undefined });
  expect(load({ METRICS_BIND_ADDRESS: '0.0.0.0:9464', LOG_FORMAT: 'pretty' })).toMatchObject({
    metricsBindAddress: '0.0.0.0:9464',
    logFormat: 'pretty',
  });
  expect(load({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317' }).otlpEndpoint).toBe(
    'http://collector:4317',
  );
});

it('names the setting and the expected form in each error', () => {
  expect(() => load({ METRICS_BIND_ADDRESS: '9464' })).toThrow(
    'METRICS_BIND_ADDRESS must be host:port, e.g. 127.0.0.1:9464; got "9464".',
  );
  expect(() => load({}, { METRICS_BIND_ADDRESS: 'localhost:70000' })).toThrow(
    '--metrics-bind-address must be',
  );
  expect(() => load({ LOG_FORMAT: 'yaml' })).toThrow('LOG_FORMAT must be json or pretty; got "yaml".');
});

it('serves the metrics at the Prometheus endpoint when there is one, else sends them to the OTLP collector', () => {
  const both = load({
    METRICS_BIND_ADDRESS: '127.0.0.1:9464',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317',
  });
  expect(metricsExporter(both)).toMatchObject({ prometheus: { bindAddress: '127.0.0.1:9464' } });
  expect(metricsExporter(both)).not.toHaveProperty('otel');
  expect(metricsDestination(both)).toBe('http://127.0.0.1:9464/metrics');
  const collector = load({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317' });
  expect(metricsExporter(collector)).toMatchObject({ otel: { url: 'http://collector:4317' } });
  expect(metricsDestination(collector)).toBe('OTLP http://collector:4317');
  expect(metricsExporter(load({}))).toBeUndefined();
  expect(metricsDestination(load({}))).toBeUndefined();
});

it('logs JSON unless the output is a terminal', () => {
  expect(defaultLogFormat({ isTTY: true })).toBe('pretty');
  expect(defaultLogFormat({})).toBe('json');
});

function captured(format: 'json' | 'pretty') {
  const lines: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger(format, 'info', out), lines };
}

it("passes the SDK's fields through as JSON fields (runId for both kinds of line, no task token), levels as words, below the level dropped", () => {
  const { logger, lines } = captured('json');
  const sdk = new PinoSdkLogger(logger);
  sdk.info('image labelled', { workflowId: 'w', runId: 'r', key: 'a.png', [Symbol('time')]: 1n });
  sdk.debug('not shown');
  sdk.error('AWS call failed', {
    activityType: 'detectCustomLabels',
    attempt: 2,
    taskToken: 'c2VjcmV0',
    workflowRunId: 'r',
    awsRequestId: 'req-1',
  });
  const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(entries).toEqual([
    {
      level: 'info',
      time: expect.any(String),
      workflowId: 'w',
      runId: 'r',
      key: 'a.png',
      msg: 'image labelled',
    },
    {
      level: 'error',
      time: expect.any(String),
      activityType: 'detectCustomLabels',
      attempt: 2,
      runId: 'r',
      awsRequestId: 'req-1',
      msg: 'AWS call failed',
    },
  ]);
});

it('writes one readable line per entry for a terminal', () => {
  expect(
    prettyLine('{"level":"warn","time":"2026-12-01T16:19:23.204Z","key":"a b.png","labels":2,"msg":"image"}'),
  ).toBe('16:19:23.204 WARN  image key=a b.png labels=2\n');
  const { logger, lines } = captured('pretty');
  logger.info({ workflowId: 'w' }, 'batch started');
  expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}batch started workflowId=w\n$/);
});
