// `modelyard alerts rules create|list|delete` and `modelyard alerts list|show`: alert rules on endpoints and their
// history.

import type { AlertComparison, AlertMetric, AlertRuleOptions, AlertSeverity, NewAlertRule } from '@modelyard/client';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { formatTable } from '../format-table.js';
import { formatTime } from '../format-value.js';
import { findEndpoint } from '../lookup.js';
import { integerOption } from './integer-option.js';

const COMPARISONS = ['>', '>=', '<', '<='];

interface CreateOptions {
  metric: string;
  window: string;
  when: string;
  threshold: string;
  minSamples?: string;
  severity?: string;
  webhook?: string;
  secretEnv?: string;
  cooldown?: string;
  disabled?: boolean;
  column?: string;
  positiveClass?: string;
  minGroupSize?: string;
}

/** `--column Marital --positive-class good`: what a fairness metric is about; undefined without any of them. */
function ruleOptions(opts: CreateOptions): AlertRuleOptions | undefined {
  if (opts.column === undefined && opts.positiveClass === undefined && opts.minGroupSize === undefined)
    return undefined;
  return {
    ...(opts.column !== undefined && { column: opts.column }),
    ...(opts.positiveClass !== undefined && { positiveClass: opts.positiveClass }),
    ...(opts.minGroupSize !== undefined && { minGroupSize: integerOption('--min-group-size', opts.minGroupSize, 1) }),
  };
}

/** `--when '>' --threshold 0.05`; the threshold must be a finite number. */
function ruleOf(name: string, opts: CreateOptions, env: Record<string, string | undefined>): NewAlertRule {
  if (!COMPARISONS.includes(opts.when)) {
    throw new CliError('invalid_option', `--when takes one of ${COMPARISONS.join(' ')}, not '${opts.when}'.`);
  }
  const threshold = Number(opts.threshold);
  if (opts.threshold.trim() === '' || !Number.isFinite(threshold)) {
    throw new CliError('invalid_option', `--threshold takes a number, not '${opts.threshold}'.`);
  }
  const options = ruleOptions(opts);
  let secret: string | undefined;
  if (opts.secretEnv !== undefined) {
    // From the environment, never the command line: arguments are visible to other users and kept in shell history.
    secret = env[opts.secretEnv];
    if (!secret) throw new CliError('invalid_option', `The environment variable ${opts.secretEnv} is not set.`);
    if (opts.webhook === undefined) throw new CliError('invalid_option', '--secret-env needs --webhook.');
  }
  return {
    name,
    metric: opts.metric as AlertMetric,
    window: opts.window,
    comparison: opts.when as AlertComparison,
    threshold,
    ...(opts.minSamples !== undefined && { minSamples: integerOption('--min-samples', opts.minSamples, 1) }),
    ...(opts.severity !== undefined && { severity: opts.severity as AlertSeverity }),
    ...(opts.webhook !== undefined && { webhook: { url: opts.webhook, ...(secret !== undefined && { secret }) } }),
    ...(opts.cooldown !== undefined && { cooldown: opts.cooldown }),
    ...(opts.disabled && { enabled: false }),
    ...(options !== undefined && { options }),
  };
}

export function registerAlertsCommand(program: Command, ctx: CliContext): void {
  const alerts = program.command('alerts').description('alert rules on endpoints and the alerts they fired');
  const rules = alerts.command('rules').description("an endpoint's alert rules");

  rules
    .command('create <endpoint> <name>')
    .description('add an alert rule to an endpoint (by id or name)')
    .requiredOption(
      '--metric <metric>',
      'latency_p50, latency_p99, error_rate, accuracy, auc, log_loss, rmse, mae, drift_share, dataset_drift, ' +
        'out_of_profile_share, probe_failure, demographic_parity_ratio, equal_opportunity_ratio, ' +
        'demographic_parity_difference or equalized_odds_difference',
    )
    .requiredOption('--window <duration>', 'the window the metric is computed over, e.g. 15m, 1h, 7d')
    .requiredOption('--when <comparison>', "fire when the metric is '>', '>=', '<' or '<=' the threshold")
    .requiredOption('--threshold <number>', 'the threshold')
    .option('--min-samples <n>', 'fewer samples in the window is no data (default 1)')
    .option('--severity <level>', 'warning (default) or critical')
    .option('--webhook <url>', 'POST each firing and resolution to this http(s) URL')
    .option('--secret-env <name>', 'sign webhooks with the secret in this environment variable')
    .option('--cooldown <duration>', 'no new alert within this time of the last (default 1h)')
    .option('--disabled', 'create the rule disabled')
    .option(
      '--column <feature>',
      'fairness metrics: the logged feature whose segments are compared (required for them)',
    )
    .option('--positive-class <class>', 'fairness metrics: the positive class (default the second of two)')
    .option(
      '--min-group-size <n>',
      'fairness metrics: segments with fewer labelled records are not compared (default 30)',
    )
    .action(async (endpointRef: string, name: string, opts: CreateOptions, cmd: Command) => {
      const rule = ruleOf(name, opts, ctx.io.env as Record<string, string | undefined>);
      const client = await ctx.client(cmd);
      const endpoint = await findEndpoint(client, ctx.project(cmd), endpointRef);
      const created = await client.createAlertRule(endpoint.id, rule);
      ctx.print(
        cmd,
        created,
        () =>
          `Alert rule ${created.name} (${created.id}) on ${endpoint.name}: ${created.metric} ${created.comparison} ` +
          `${created.threshold} over ${created.window}${created.webhook ? ` → ${created.webhook.url}` : ''}.`,
      );
    });

  rules
    .command('list <endpoint>')
    .description("an endpoint's alert rules and their last evaluation")
    .action(async (endpointRef: string, _opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const endpoint = await findEndpoint(client, ctx.project(cmd), endpointRef);
      const { items } = await client.listAlertRules(endpoint.id);
      ctx.print(cmd, items, () =>
        items.length === 0
          ? `No alert rules on ${endpoint.name}.`
          : formatTable(
              ['NAME', 'ID', 'RULE', 'WINDOW', 'WEBHOOK', 'ENABLED', 'LAST'],
              items.map((r) => [
                r.name,
                r.id,
                `${r.metric} ${r.comparison} ${r.threshold}`,
                r.window,
                r.webhook ? (r.webhook.hasSecret ? 'signed' : 'yes') : '-',
                r.enabled ? 'yes' : 'no',
                r.lastEvaluation ? `${r.lastEvaluation.status} (${r.lastEvaluation.value ?? '-'})` : '-',
              ]),
            ),
      );
    });

  rules
    .command('delete <endpoint> <rule>')
    .description('remove an alert rule (by id or name); its alerts stay in the history')
    .action(async (endpointRef: string, ruleRef: string, _opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const endpoint = await findEndpoint(client, ctx.project(cmd), endpointRef);
      const { items } = await client.listAlertRules(endpoint.id);
      const rule = items.find((r) => r.id === ruleRef) ?? items.find((r) => r.name === ruleRef);
      if (!rule) throw new CliError('alert_rule_not_found', `No alert rule '${ruleRef}' on ${endpoint.name}.`);
      await client.deleteAlertRule(endpoint.id, rule.id);
      ctx.print(cmd, { deleted: rule.id }, () => `Deleted alert rule ${rule.name} (${rule.id}).`);
    });

  alerts
    .command('list <endpoint>')
    .description("an endpoint's alerts, newest first")
    .option('--state <state>', 'only firing or resolved alerts')
    .option('--limit <n>', 'at most this many (default 50)')
    .action(async (endpointRef: string, opts: { state?: string; limit?: string }, cmd: Command) => {
      if (opts.state !== undefined && opts.state !== 'firing' && opts.state !== 'resolved') {
        throw new CliError('invalid_option', `--state takes firing or resolved, not '${opts.state}'.`);
      }
      const client = await ctx.client(cmd);
      const endpoint = await findEndpoint(client, ctx.project(cmd), endpointRef);
      const { items } = await client.listAlerts(endpoint.id, {
        ...(opts.state !== undefined && { state: opts.state }),
        ...(opts.limit !== undefined && { limit: integerOption('--limit', opts.limit, 1, 500) }),
      });
      ctx.print(cmd, items, () =>
        items.length === 0
          ? `No alerts on ${endpoint.name}.`
          : formatTable(
              ['ID', 'STATE', 'RULE', 'SEVERITY', 'MESSAGE', 'WEBHOOK', 'CREATED'],
              items.map((a) => [
                a.id,
                a.state,
                a.ruleName ?? a.kind,
                a.severity,
                a.message,
                a.deliveryStatus,
                formatTime(a.createdAt),
              ]),
            ),
      );
    });

  alerts
    .command('show <alert>')
    .description('one alert with its webhook deliveries')
    .action(async (alertId: string, _opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const alert = await client.getAlert(alertId);
      ctx.print(cmd, alert, () =>
        [
          `${alert.id} ${alert.state} (${alert.severity}): ${alert.message}`,
          ...alert.deliveries.map(
            (d) =>
              `  ${d.event} → ${d.target}: ${d.status} after ${d.attempts} attempt(s)` +
              (d.lastError ? ` — ${d.lastError}` : ''),
          ),
          ...(alert.action
            ? [`  retrain: ${alert.action.status}${alert.action.message ? ` — ${alert.action.message}` : ''}`]
            : []),
        ].join('\n'),
      );
    });
}
