/* Hazard statistics: bar charts by town and by department. Series names come from the chart
   element's data-* attributes (translated in the template); rows from json_script. */
(function () {
  var keys = ["found", "closed", "overdue", "major"];
  function draw(id, dataId) {
    var el = document.getElementById(id); if (!el) return;
    var rows = JSON.parse(document.getElementById(dataId).textContent);
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: {trigger: "axis", renderMode: "richText"}, legend: {top: 0}, grid: {left: 40, right: 10, top: 40, bottom: 100},
      xAxis: {type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: {rotate: 30}},
      yAxis: {type: "value"},
      series: keys.map(function (k) {
        return {name: el.dataset[k], type: "bar", data: rows.map(function (r) { return r[k]; })};
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  draw("chart-towns", "data-towns"); draw("chart-departments", "data-departments");
})();
