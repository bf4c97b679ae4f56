'use client';

import { Area, AreaChart, Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface UsagePoint {
  bucketStart: string;
  requests: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: string;
  avgLatencyMs: number | null;
  p95LatencyMs: number | null;
}

/** Requests and errors, tokens, cost and latency over time (recharts). */
export function UsageCharts({ points, granularity }: { points: UsagePoint[]; granularity: 'hour' | 'day' }) {
  const data = points.map((p) => ({
    t: label(p.bucketStart, granularity),
    requests: p.requests - p.errors,
    errors: p.errors,
    prompt: p.promptTokens,
    completion: p.completionTokens,
    cost: Number(p.costUsd),
    avg: p.avgLatencyMs,
    p95: p.p95LatencyMs,
  }));
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <ChartCard title="Requests and errors">
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e7" />
          <XAxis dataKey="t" fontSize={11} minTickGap={16} />
          <YAxis fontSize={11} allowDecimals={false} width={40} />
          <Tooltip />
          <Legend />
          <Bar dataKey="requests" name="Succeeded" stackId="r" fill="#4f46e5" />
          <Bar dataKey="errors" name="Errors" stackId="r" fill="#dc2626" />
        </BarChart>
      </ChartCard>
      <ChartCard title="Tokens">
        <AreaChart data={data}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e7" />
          <XAxis dataKey="t" fontSize={11} minTickGap={16} />
          <YAxis fontSize={11} width={50} />
          <Tooltip />
          <Legend />
          <Area type="monotone" dataKey="prompt" name="Prompt" stackId="t" stroke="#0891b2" fill="#a5f3fc" />
          <Area type="monotone" dataKey="completion" name="Completion" stackId="t" stroke="#7c3aed" fill="#ddd6fe" />
        </AreaChart>
      </ChartCard>
      <ChartCard title="Cost (USD)">
        <AreaChart data={data}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e7" />
          <XAxis dataKey="t" fontSize={11} minTickGap={16} />
          <YAxis fontSize={11} width={60} />
          <Tooltip formatter={(v) => `$${Number(v).toFixed(6)}`} />
          <Area type="monotone" dataKey="cost" name="Cost" stroke="#059669" fill="#a7f3d0" />
        </AreaChart>
      </ChartCard>
      <ChartCard title="Latency (ms)">
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e7" />
          <XAxis dataKey="t" fontSize={11} minTickGap={16} />
          <YAxis fontSize={11} width={50} />
          <Tooltip />
          <Legend />
          <Line type="monotone" dataKey="avg" name="Average" stroke="#4f46e5" dot={{ r: 2 }} connectNulls />
          <Line type="monotone" dataKey="p95" name="p95" stroke="#f59e0b" dot={{ r: 2 }} connectNulls />
        </LineChart>
      </ChartCard>
    </div>
  );
}

function ChartCard({ title, children }: { title: string; children: React.ReactElement }) {
  return (
    <figure className="rounded-xl border border-zinc-200 bg-white p-4 shadow-xs">
      <figcaption className="text-sm font-semibold text-zinc-900">{title}</figcaption>
      <div className="mt-2 h-56" role="img" aria-label={`${title} over time`}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

function label(iso: string, granularity: 'hour' | 'day'): string {
  const d = new Date(iso);
  return granularity === 'day' ? iso.slice(5, 10) : `${iso.slice(5, 10)} ${String(d.getUTCHours()).padStart(2, '0')}h`;
}
