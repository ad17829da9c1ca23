import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  effect,
  ElementRef,
  inject,
  input,
  viewChild,
} from '@angular/core';
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  ChartConfiguration,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

/**
 * A Chart.js canvas that follows its config input (updated in place, not redrawn from
 * scratch). The canvas is an image with a label; pages put the numbers beside it as text.
 */
@Component({
  selector: 'hw-chart',
  template: `<div class="box" [style.height.px]="height()">
    <canvas #canvas role="img" [attr.aria-label]="label()"></canvas>
  </div>`,
  styles: `
    .box {
      position: relative;
      width: 100%;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ChartView {
  readonly config = input.required<ChartConfiguration>();
  readonly label = input.required<string>();
  readonly height = input(220);
  private readonly canvas = viewChild.required<ElementRef<HTMLCanvasElement>>('canvas');
  private chart: Chart | null = null;

  constructor() {
    afterNextRender(() => {
      this.chart = new Chart(this.canvas().nativeElement, {
        ...this.config(),
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          ...this.config().options,
        },
      });
    });
    effect(() => {
      const config = this.config();
      if (!this.chart) return;
      this.chart.data = config.data;
      // Options too: a time axis moves its bounds when the range changes.
      this.chart.options = {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        ...config.options,
      };
      this.chart.update('none');
    });
    inject(DestroyRef).onDestroy(() => this.chart?.destroy());
  }
}
