// The most frequent values of one column, as horizontal bars (recharts).
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ColumnProfile } from '@modelyard/client';
import { formatInt, formatPercent } from './format';

export function TopValuesChart({ column, rows }: { column: ColumnProfile; rows: number }) {
  const data = (column.topValues ?? []).slice(0, 10).map((top) => ({ value: top.value, count: top.count }));
  const height = Math.max(160, data.length * 28 + 40);
  return (
    <div className="chart" data-testid="chart-top-values" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 56, bottom: 4, left: 4 }} barCategoryGap={6}>
          <CartesianGrid horizontal={false} stroke="#eef0f4" />
          <XAxis
            type="number"
            tickFormatter={(value: number) => formatInt(value)}
            tick={{ fontSize: 11, fill: '#64748b' }}
            axisLine={false}
            tickLine={false}
          />
          <YAxis
            type="category"
            dataKey="value"
            width={110}
            tick={{ fontSize: 12, fill: '#334155' }}
            axisLine={false}
            tickLine={false}
            interval={0}
          />
          <Tooltip
            cursor={{ fill: '#f1f5f9' }}
            formatter={(value) => [
              `${formatInt(Number(value))} rows${rows > 0 ? ` (${formatPercent(Number(value) / rows)})` : ''}`,
              'Count',
            ]}
          />
          <Bar dataKey="count" fill="#6366f1" radius={[0, 3, 3, 0]} isAnimationActive={false}>
            <LabelList
              dataKey="count"
              position="right"
              formatter={(value) => formatInt(Number(value))}
              style={{ fontSize: 11, fill: '#475569' }}
            />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
