/* Risk overview: levels by town, stacked, in the levels' colours. */
(function () {
  var el = document.getElementById("chart-towns"); if (!el) return;
  var rows = JSON.parse(document.getElementById("data-towns").textContent);
  var colours = JSON.parse(document.getElementById("data-colours").textContent);
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: {trigger: "axis", renderMode: "richText"}, legend: {top: 0}, grid: {left: 40, right: 10, top: 40, bottom: 80},
    xAxis: {type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: {rotate: 30}},
    yAxis: {type: "value"},
    series: ["major", "larger", "general", "low"].map(function (k) {
      return {name: el.dataset[k], type: "bar", stack: "n", itemStyle: {color: colours[k]}, data: rows.map(function (r) { return r[k]; })};
    })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
