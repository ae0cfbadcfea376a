import { LOOPBACK } from './ports.js';

/** The ports one member of an ensemble listens on, all on 127.0.0.1. */
export interface MemberPorts {
  readonly id: number;
  readonly clientPort: number;
  readonly quorumPort: number;
  readonly electionPort: number;
}

export interface ServerSettings {
  readonly tickTime: number;
  readonly minSessionTimeout: number;
  readonly maxSessionTimeout: number;
  /** Extra zoo.cfg lines; they override the defaults below. */
  readonly extraConfig: Readonly<Record<string, string | number>>;
}

/**
 * zoo.cfg for one member. Defaults suit tests: short ticks so sessions can be as short as 1 s,
 * no admin HTTP server, no connection limit, every four-letter word allowed, and no fsync (test
 * data is thrown away; fsync on a shared disk only adds noise). A single member runs standalone.
 */
export const renderZooCfg = (
  self: MemberPorts,
  all: readonly MemberPorts[],
  dataDir: string,
  settings: ServerSettings,
): string => {
  const lines: Record<string, string | number> = {
    tickTime: settings.tickTime,
    initLimit: 20,
    syncLimit: 10,
    dataDir,
    clientPort: self.clientPort,
    clientPortAddress: LOOPBACK,
    minSessionTimeout: settings.minSessionTimeout,
    maxSessionTimeout: settings.maxSessionTimeout,
    maxClientCnxns: 0,
    'admin.enableServer': 'false',
    '4lw.commands.whitelist': '*',
    forceSync: 'no',
    ...(all.length > 1
      ? {
          quorumListenOnAllIPs: 'false',
          ...Object.fromEntries(
            all.map((m) => [`server.${m.id}`, `${LOOPBACK}:${m.quorumPort}:${m.electionPort}`]),
          ),
        }
      : {}),
    ...settings.extraConfig,
  };
  return Object.entries(lines)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')
    .concat('\n');
};

/** log4j 1.2 (Debian's binding): everything to one file in the member's directory, nothing on stdout. */
export const renderLog4j = (logFile: string): string =>
  [
    'log4j.rootLogger=INFO, FILE',
    'log4j.appender.FILE=org.apache.log4j.FileAppender',
    `log4j.appender.FILE.File=${logFile}`,
    'log4j.appender.FILE.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.FILE.layout.ConversionPattern=%d{ISO8601} %-5p [%t:%C{1}@%L] %m%n',
    '',
  ].join('\n');

/** logback (upstream releases since 3.8): the same file. */
export const renderLogback = (logFile: string): string =>
  [
    '<configuration>',
    '  <appender name="FILE" class="ch.qos.logback.core.FileAppender">',
    `    <file>${logFile}</file>`,
    '    <encoder><pattern>%d{ISO8601} %-5level [%thread:%logger{0}] %msg%n</pattern></encoder>',
    '  </appender>',
    '  <root level="INFO"><appender-ref ref="FILE"/></root>',
    '</configuration>',
    '',
  ].join('\n');
