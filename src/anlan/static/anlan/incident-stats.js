/* Incident statistics: this period against the same period last year, one chart per block. */
(function () {
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  Object.keys(data).forEach(function (key) {
    var el = document.getElementById("chart-" + key); if (!el) return;
    var rows = data[key], chart = echarts.init(el);
    chart.setOption({
      tooltip: {trigger: "axis", renderMode: "richText"}, legend: {top: 0}, grid: {left: 30, right: 10, top: 30, bottom: 60},
      xAxis: {type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: {rotate: 30}},
      yAxis: {type: "value", minInterval: 1},
      series: [{name: el.dataset.now, type: "bar", data: rows.map(function (r) { return r.now; })},
               {name: el.dataset.before, type: "bar", data: rows.map(function (r) { return r.before; })}]
    });
  });
})();
