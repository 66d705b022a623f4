import { Alert, Box, Card, CardContent, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { Loading, Title, useDataProvider } from 'react-admin';
import type { ConsoleDataProvider } from './dataProvider';
import { useCan } from './permissions';
import type { Stats } from './types';

const number = new Intl.NumberFormat('en');
export const formatBytes = (bytes: number) => {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
};

function Figure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Card sx={{ flex: '1 1 180px' }}>
      <CardContent>
        <Typography color="text.secondary" variant="body2">
          {label}
        </Typography>
        <Typography variant="h4" data-testid={testId}>
          {value}
        </Typography>
      </CardContent>
    </Card>
  );
}

/** Sign-ups per day as SVG bars (no chart library: 30 rectangles and two labels). */
function SignupChart({ days }: { days: Stats['signupsLast30Days'] }) {
  const width = 900;
  const height = 140;
  const max = Math.max(1, ...days.map((d) => d.count));
  const step = width / days.length;
  return (
    <svg
      viewBox={`0 0 ${width} ${height + 20}`}
      width="100%"
      style={{ maxHeight: 220 }}
      role="img"
      aria-label="Sign-ups over the last 30 days"
      data-testid="signup-chart"
    >
      {days.map((day, i) => {
        const h = (day.count / max) * height;
        return (
          <rect
            key={day.date}
            x={i * step + 2}
            y={height - h}
            width={step - 4}
            height={Math.max(h, day.count > 0 ? 2 : 0)}
            fill="#1976d2"
          >
            <title>{`${day.date}: ${day.count}`}</title>
          </rect>
        );
      })}
      <line x1={0} y1={height} x2={width} y2={height} stroke="#999" />
      <text x={0} y={height + 16} fontSize={12} fill="#555">
        {days[0]?.date}
      </text>
      <text x={width} y={height + 16} fontSize={12} fill="#555" textAnchor="end">
        {days[days.length - 1]?.date}
      </text>
    </svg>
  );
}

function Breakdown({ title, counts }: { title: string; counts: Record<string, number> }) {
  const total = Math.max(1, ...Object.values(counts));
  return (
    <Card sx={{ flex: '1 1 280px' }}>
      <CardContent>
        <Typography variant="h6" gutterBottom>
          {title}
        </Typography>
        {Object.entries(counts).map(([name, count]) => (
          <Box key={name} sx={{ display: 'flex', alignItems: 'center', mb: 0.5 }}>
            <Typography sx={{ width: 100 }} variant="body2">
              {name}
            </Typography>
            <Box sx={{ flex: 1, bgcolor: 'grey.200', height: 10, mr: 1 }}>
              <Box
                sx={{ width: `${(count / total) * 100}%`, bgcolor: 'primary.main', height: 10 }}
              />
            </Box>
            <Typography variant="body2">{number.format(count)}</Typography>
          </Box>
        ))}
      </CardContent>
    </Card>
  );
}

/** The /admin/stats figures (stats:read). */
export function Dashboard() {
  const can = useCan();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const allowed = can('stats:read');

  useEffect(() => {
    if (!allowed) return;
    dataProvider
      .getStats()
      .then(setStats)
      .catch((e: Error) => setError(e.message));
  }, [allowed, dataProvider]);

  if (!allowed)
    return (
      <Box sx={{ mt: 2 }}>
        <Title title="Dashboard" />
        <Alert severity="info">Your role does not include the figures (stats:read).</Alert>
      </Box>
    );
  if (error) return <Alert severity="error">{error}</Alert>;
  if (!stats) return <Loading />;
  return (
    <Box sx={{ mt: 2, display: 'flex', flexDirection: 'column', gap: 2 }} data-testid="dashboard">
      <Title title="Dashboard" />
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
        <Figure label="Users" value={number.format(stats.users.total)} testId="stat-users" />
        <Figure
          label="Active sessions"
          value={number.format(stats.sessions.active)}
          testId="stat-sessions"
        />
        <Figure label="Assets" value={number.format(stats.assets.total)} testId="stat-assets" />
        <Figure label="Stored" value={formatBytes(stats.assets.bytes)} testId="stat-bytes" />
      </Box>
      <Card>
        <CardContent>
          <Typography variant="h6" gutterBottom>
            Sign-ups, last 30 days
          </Typography>
          <SignupChart days={stats.signupsLast30Days} />
        </CardContent>
      </Card>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
        <Breakdown title="Users by status" counts={stats.users.byStatus} />
        <Breakdown title="Users by role" counts={stats.users.byRole} />
      </Box>
    </Box>
  );
}
