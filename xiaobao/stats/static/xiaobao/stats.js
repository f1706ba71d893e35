// The chart of the statistics page: received items by kind over the last 12 months. The figures come
// from the page itself (json_script), so the chart and its table view always agree.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("received-chart");
  var source = document.getElementById("received-series");
  if (!box || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  box.style.height = "320px";
  var chart = window.echarts.init(box);
  chart.setOption({
    tooltip: {trigger: "axis"},
    legend: {top: 0},
    grid: {left: 40, right: 20, top: 40, bottom: 30},
    xAxis: {type: "category", data: data.months},
    yAxis: {type: "value", minInterval: 1, name: "件"},
    series: data.series.map(function (s) {
      return {name: s.name, type: "bar", stack: "received", data: s.data};
    }),
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
