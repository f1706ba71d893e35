// The dashboard's charts. Each chart reads its table from the JSON block the page carries (json_script):
// a label column, value columns, which of them to draw, and whether bars lie down or stack.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  document.querySelectorAll(".dashboard-chart").forEach(function (box) {
    var source = document.getElementById(box.dataset.source);
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    var columns = spec.plot.length ? spec.plot : spec.columns.map(function (_, i) { return i; });
    var labels = spec.rows.map(function (r) { return r[0]; });
    var category = {type: "category", data: labels, inverse: spec.horizontal};
    var value = {type: "value", minInterval: 1};
    box.style.height = (spec.horizontal ? Math.max(200, 32 * labels.length + 60) : 320) + "px";
    var chart = window.echarts.init(box);
    chart.setOption({
      tooltip: {trigger: "axis"},
      legend: {top: 0},
      grid: {left: spec.horizontal ? 110 : 40, right: 20, top: 40, bottom: 30},
      xAxis: spec.horizontal ? value : category,
      yAxis: spec.horizontal ? category : value,
      series: columns.map(function (i) {
        return {name: spec.columns[i], type: "bar", stack: spec.stacked ? "total" : undefined,
                data: spec.rows.map(function (r) { return r[i + 1]; })};
      }),
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
});
