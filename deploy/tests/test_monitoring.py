"""Structural checks of the monitoring material (deploy/monitoring/: Grafana dashboard, Prometheus
alert rules and scrape configuration; the Prometheus reporter in compose, Kubernetes and the local
cluster). Every metric the dashboard and the alerts use must be documented in docs/metrics.md;
the cluster end-to-end test checks the same names against the endpoints of running jobs.
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
MONITORING = REPO / "deploy" / "monitoring"
DASHBOARD = MONITORING / "grafana-dashboard.json"
ALERTS = MONITORING / "alerts.yaml"
PROMETHEUS_CONFIG = MONITORING / "prometheus.yaml"
METRICS_DOC = REPO / "docs" / "metrics.md"
REPORTER_FACTORY = "org.apache.flink.metrics.prometheus.PrometheusReporterFactory"
METRIC_NAME = re.compile(r"\bflink_[A-Za-z0-9_]+")
# Alerts every operator needs (issue 11): job down, consumer lag, freshness, dead letters, hours.
REQUIRED_ALERTS = {
    "EventstreamJobDown", "EventstreamConsumerLag", "EventstreamOnlineFeaturesStale",
    "EventstreamDatasetCommitsStale", "EventstreamDeadLetterRate", "EventstreamNoHourCompleted",
}


def base_name(name):
    """A summary's series (<name>_count, <name>_sum) belong to the documented <name>."""
    return re.sub(r"_(count|sum)$", "", name)


def documented_metrics():
    """The backticked flink_* names of docs/metrics.md's tables."""
    return set(re.findall(r"^\| `(flink_[A-Za-z0-9_]+)`", METRICS_DOC.read_text(), re.MULTILINE))


def dashboard_exprs():
    dashboard = json.loads(DASHBOARD.read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            exprs.append(variable["query"]["query"])
    return exprs


def alert_rules():
    return [rule for group in yaml.safe_load(ALERTS.read_text())["groups"] for rule in group["rules"]]


def referenced_metrics():
    """Every metric name the dashboard and the alert rules use (summary suffixes removed)."""
    exprs = dashboard_exprs() + [rule["expr"] for rule in alert_rules()]
    return {base_name(name) for expr in exprs for name in METRIC_NAME.findall(expr)}


def promtool():
    """promtool from PATH, or unpacked from Debian's prometheus package into .run/tools/."""
    found = shutil.which("promtool")
    local = REPO / ".run" / "tools" / "promtool"
    return found or (str(local) if local.exists() else None)


# ---------------------------------------------------------------- dashboard


def test_dashboard_is_grafana_json_with_prometheus_panels():
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["uid"] and dashboard["title"]
    panels = [p for p in dashboard["panels"] if p["type"] != "row"]
    assert len(panels) >= 12
    ids = [p["id"] for p in dashboard["panels"]]
    assert len(ids) == len(set(ids)), "panel ids are unique"
    for panel in panels:
        assert panel["targets"], panel["title"]
        assert panel["datasource"]["uid"] == "${datasource}"
        for target in panel["targets"]:
            assert target["expr"].count("(") == target["expr"].count(")"), target["expr"]
            # Every query follows the dashboard's job selector.
            assert 'job_name=~"$job"' in target["expr"], target["expr"]
    variables = {v["name"]: v for v in dashboard["templating"]["list"]}
    assert variables["datasource"]["query"] == "prometheus"
    assert "job" in variables


def test_dashboard_shows_every_issue_metric():
    used = " ".join(dashboard_exprs())
    for name in ["eventsIn", "duplicates", "reason_deadLetters", "stream_lateEvents", "rowsWritten",
                 "table_freshnessMs", "dataset_freshnessMs", "watermarkLagMs", "eventTimeLagMs",
                 "pendingRecords", "dataset_lastCompletedHour"]:
        assert f"flink_taskmanager_job_task_operator_{name}" in used, name


# ---------------------------------------------------------------- alerts


def test_alert_rules_are_complete_and_explained():
    rules = alert_rules()
    names = [rule["alert"] for rule in rules]
    assert len(names) == len(set(names))
    assert REQUIRED_ALERTS <= set(names)
    for rule in rules:
        assert rule["labels"]["severity"] in {"warning", "critical"}, rule["alert"]
        assert rule["annotations"]["summary"] and len(rule["annotations"]["description"]) > 40, rule["alert"]
        assert 'job_name=~"eventstream_.*"' in rule["expr"] or 'job_name="eventstream_' in rule["expr"], rule["alert"]
    readme = (REPO / "deploy" / "README.md").read_text()
    for name in names:
        assert name in readme, f"deploy/README.md explains {name}"


def test_every_metric_of_the_dashboard_and_alerts_is_documented():
    documented = documented_metrics()
    assert len(documented) >= 20
    missing = referenced_metrics() - documented
    assert not missing, f"used but not in docs/metrics.md: {sorted(missing)}"


def test_alert_rules_pass_promtool(tmp_path):
    tool = promtool()
    if tool is None:
        pytest.skip("promtool not found: `apt-get download prometheus` and unpack usr/bin/promtool into .run/tools/ "
                    "(or install Debian's prometheus package) to check the rules with it")
    result = subprocess.run([tool, "check", "rules", str(ALERTS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(alert_rules())} rules found" in result.stdout
    # The rules' unit tests: synthetic series, the alerts (labels, annotations) each must raise.
    result = subprocess.run([tool, "test", "rules", "alerts-test.yaml"], cwd=MONITORING, capture_output=True, text=True)
    assert result.returncode == 0 and "SUCCESS" in result.stdout, result.stdout + result.stderr
    # The scrape configuration, with the rule file where this checkout has it.
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    config["rule_files"] = [str(ALERTS)]
    (tmp_path / "prometheus.yaml").write_text(yaml.safe_dump(config))
    result = subprocess.run([tool, "check", "config", str(tmp_path / "prometheus.yaml")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# ---------------------------------------------------------------- the reporter in each deployment


def test_compose_enables_the_reporter_and_scrapes_it():
    compose = yaml.safe_load((REPO / "deploy" / "docker" / "compose.yaml").read_text())
    flink_version = re.search(r"<flink.version>([^<]+)<", (REPO / "pom.xml").read_text()).group(1)
    for service in ["jobmanager", "taskmanager"]:
        env = compose["services"][service]["environment"]
        properties = yaml.safe_load(env["FLINK_PROPERTIES"])
        assert properties["metrics.reporter.prom.factory.class"] == REPORTER_FACTORY
        assert properties["metrics.reporter.prom.port"] == 9249
        assert f"flink-metrics-prometheus-{flink_version}.jar" in env["ENABLE_BUILT_IN_PLUGINS"].split(";")
    prometheus = compose["services"]["prometheus"]
    assert prometheus["profiles"] == ["monitoring"]
    assert all(p.startswith("127.0.0.1:") for p in prometheus["ports"])
    mounts = {m.split(":")[1]: (REPO / "deploy" / "docker" / m.split(":")[0]).resolve() for m in prometheus["volumes"]
              if m.startswith("..")}
    assert mounts["/etc/prometheus/prometheus.yaml"] == PROMETHEUS_CONFIG
    assert mounts["/etc/prometheus/alerts.yaml"] == ALERTS
    config = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    assert config["rule_files"] == ["/etc/prometheus/alerts.yaml"]
    targets = yaml.safe_dump(config["scrape_configs"])
    assert "jobmanager:9249" in targets and "taskmanager" in targets and "port: 9249" in targets


@pytest.mark.parametrize("job", ["spam", "reviewers"])
def test_kubernetes_pods_expose_the_reporter(job):
    deployment = yaml.safe_load((REPO / "deploy" / "kubernetes" / f"{job}.yaml").read_text())
    conf = deployment["spec"]["flinkConfiguration"]
    assert conf["metrics.reporter.prom.factory.class"] == REPORTER_FACTORY
    port = int(conf["metrics.reporter.prom.port"])
    template = deployment["spec"]["podTemplate"]
    annotations = template["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert int(annotations["prometheus.io/port"]) == port
    container = next(c for c in template["spec"]["containers"] if c["name"] == "flink-main-container")
    assert {"name": "metrics", "containerPort": port} in container["ports"]
    monitor = yaml.safe_load((REPO / "deploy" / "kubernetes" / "monitoring" / "podmonitor.yaml").read_text())
    assert monitor["kind"] == "PodMonitor"
    assert deployment["metadata"]["name"] in monitor["spec"]["selector"]["matchExpressions"][0]["values"]
    assert monitor["spec"]["podMetricsEndpoints"][0]["port"] == "metrics"
    dockerfile = (REPO / "deploy" / "kubernetes" / "Dockerfile").read_text()
    assert "cp /opt/flink/opt/flink-metrics-prometheus-*.jar /opt/flink/plugins/metrics-prometheus/" in dockerfile


def test_local_cluster_installs_the_reporter_plugin():
    script = (REPO / "deploy" / "local" / "flink-cluster").read_text()
    assert f"metrics.reporter.prom.factory.class: {REPORTER_FACTORY}" in script
    assert "metrics.reporter.prom.port: $METRICS_PORTS" in script
    assert '"$FLINK_PLUGINS_DIR/metrics-prometheus"' in script
    pom = (REPO / "deploy" / "local" / "pom.xml").read_text()
    assert "<id>metrics-prometheus</id>" in pom and "<artifactId>flink-metrics-prometheus</artifactId>" in pom
