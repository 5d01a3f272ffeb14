import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

// Only the parts the chart uses, so the bundle stays small; SVG renders crisply at any zoom.
echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** One bar of the chart: a unit's subtree counts. */
export interface UnitBar {
  name: string;
  acknowledged: number;
  readOnly: number;
  unread: number;
}

/** Stacked bars per unit: acknowledged, read but not acknowledged, unread. */
export function UnitChart({ bars }: { bars: UnitBar[] }) {
  const { t } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!el.current) return;
    const instance = echarts.init(el.current, undefined, { renderer: 'svg' });
    chart.current = instance;
    const onResize = () => instance.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      instance.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    const names = bars.map((b) => b.name);
    const series = (name: string, key: keyof Omit<UnitBar, 'name'>, color: string) => ({
      name,
      type: 'bar' as const,
      stack: 'all',
      barMaxWidth: 22,
      itemStyle: { color },
      data: bars.map((b) => b[key]),
    });
    chart.current?.setOption(
      {
        animation: false,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0, textStyle: { color: '#5b6575' } },
        grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
        xAxis: { type: 'value', minInterval: 1 },
        yAxis: { type: 'category', data: names, inverse: true, axisLabel: { color: '#1d2430' } },
        series: [
          series(t('circulars.dashboard.chartAck'), 'acknowledged', '#2e7d32'),
          series(t('circulars.dashboard.chartRead'), 'readOnly', '#2a62ad'),
          series(t('circulars.dashboard.chartUnread'), 'unread', '#c9d1dd'),
        ],
      },
      true,
    );
  }, [bars, t]);
  return (
    <div
      ref={el}
      className="circ-chart"
      style={{ height: Math.max(140, 48 + bars.length * 30) }}
      data-testid="dashboard-chart"
    />
  );
}
