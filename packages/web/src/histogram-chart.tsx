// A numeric column's distribution as vertical bars over its equal-width bins (recharts).
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ColumnProfile } from '@modelyard/client';
import { formatInt, formatStat } from './format';

export function HistogramChart({ histogram }: { histogram: NonNullable<ColumnProfile['histogram']> }) {
  const data = histogram.counts.map((count, k) => ({
    bin: `${formatStat(histogram.edges[k])} – ${formatStat(histogram.edges[k + 1])}`,
    start: formatStat(histogram.edges[k]),
    count,
  }));
  return (
    <div className="chart" data-testid="chart-histogram" style={{ height: 200 }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 4, right: 8, bottom: 4, left: 4 }} barCategoryGap={1}>
          <CartesianGrid vertical={false} stroke="#eef0f4" />
          <XAxis dataKey="start" tick={{ fontSize: 11, fill: '#64748b' }} axisLine={false} tickLine={false} />
          <YAxis
            tickFormatter={(value: number) => formatInt(value)}
            tick={{ fontSize: 11, fill: '#64748b' }}
            axisLine={false}
            tickLine={false}
            width={48}
          />
          <Tooltip
            cursor={{ fill: '#f1f5f9' }}
            labelFormatter={(_, payload) => String(payload?.[0]?.payload?.bin ?? '')}
            formatter={(value) => [`${formatInt(Number(value))} rows`, 'Count']}
          />
          <Bar dataKey="count" fill="#6366f1" radius={[3, 3, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
