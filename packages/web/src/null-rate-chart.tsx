// Share of missing values per column, as horizontal bars (recharts).
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ColumnProfile } from '@modelyard/client';
import { formatInt, formatPercent } from './format';

interface Datum {
  name: string;
  rate: number;
  nulls: number;
}

export function NullRateChart({ columns, rows }: { columns: ColumnProfile[]; rows: number }) {
  const data: Datum[] = columns.map((column) => ({
    name: column.name,
    rate: rows === 0 ? 0 : column.nulls / rows,
    nulls: column.nulls,
  }));
  // Round the axis up to a tidy 5% step so the last tick is a round number.
  const max = Math.min(1, Math.ceil(Math.max(0.01, ...data.map((datum) => datum.rate)) * 20) / 20);
  const height = Math.max(160, data.length * 22 + 40);
  return (
    <div className="chart" data-testid="chart-null-rate" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 4 }} barCategoryGap={4}>
          <CartesianGrid horizontal={false} stroke="#eef0f4" />
          <XAxis
            type="number"
            domain={[0, max]}
            ticks={[0, max / 4, max / 2, (3 * max) / 4, max]}
            tickFormatter={(value: number) => formatPercent(value)}
            tick={{ fontSize: 11, fill: '#64748b' }}
            axisLine={false}
            tickLine={false}
          />
          <YAxis
            type="category"
            dataKey="name"
            width={110}
            tick={{ fontSize: 12, fill: '#334155' }}
            axisLine={false}
            tickLine={false}
            interval={0}
          />
          <Tooltip
            cursor={{ fill: '#f1f5f9' }}
            formatter={(value, _name, item) => [
              `${formatPercent(Number(value))} (${formatInt((item.payload as Datum).nulls)} rows)`,
              'Missing',
            ]}
          />
          <Bar dataKey="rate" radius={[0, 3, 3, 0]} isAnimationActive={false}>
            {data.map((datum) => (
              <Cell key={datum.name} fill={datum.rate === 0 ? '#cbd5e1' : datum.rate > 0.05 ? '#f59e0b' : '#6366f1'} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
