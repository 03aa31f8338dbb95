{{/* Chart name, overridable. */}}
{{- define "fleetwave-agent.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every resource name: the release name, plus the chart name unless it already contains it. */}}
{{- define "fleetwave-agent.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "fleetwave-agent.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels: stable for the life of the release. */}}
{{- define "fleetwave-agent.selectorLabels" -}}
app.kubernetes.io/name: {{ include "fleetwave-agent.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "fleetwave-agent.labels" -}}
helm.sh/chart: {{ include "fleetwave-agent.chart" . }}
{{ include "fleetwave-agent.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/component: agent
app.kubernetes.io/part-of: fleetwave
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "fleetwave-agent.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "fleetwave-agent.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "fleetwave-agent.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/* AGENT_NAMESPACE: where the identity Secret, sequence and inventory ConfigMaps live. */}}
{{- define "fleetwave-agent.stateNamespace" -}}
{{- .Values.stateNamespace | default .Release.Namespace }}
{{- end }}

{{/* Secret holding AGENT_REGISTRATION_TOKEN ("" when there is none). */}}
{{- define "fleetwave-agent.registrationSecretName" -}}
{{- if .Values.registration.existingSecret }}
{{- .Values.registration.existingSecret }}
{{- else if .Values.registration.token }}
{{- printf "%s-registration" (include "fleetwave-agent.fullname" .) }}
{{- end }}
{{- end }}

{{/* AGENT_CLUSTER_LABELS: "k1=v1,k2=v2", sorted by key. */}}
{{- define "fleetwave-agent.clusterLabels" -}}
{{- $pairs := list }}
{{- range $k, $v := .Values.cluster.labels }}
{{- $pairs = append $pairs (printf "%s=%v" $k $v) }}
{{- end }}
{{- join "," $pairs }}
{{- end }}

{{/*
Kafka TLS and SASL: the non-secret settings (a YAML map of variable -> value), the volumes and
mounts of the CA, client certificate and password, and the password variable when it is asked for
as one. Secrets are only referenced.
*/}}
{{- define "fleetwave-agent.kafkaSettings" -}}
{{- $k := .Values.kafka -}}
AGENT_KAFKA_TLS: {{ $k.tls.enabled | toString | quote }}
AGENT_KAFKA_TLS_REJECT_UNAUTHORIZED: {{ $k.tls.rejectUnauthorized | toString | quote }}
{{- if $k.tls.enabled }}
{{- if or $k.tls.ca.existingSecret $k.tls.ca.existingConfigMap }}
AGENT_KAFKA_TLS_CA_FILE: {{ printf "%s/ca/%s" ($k.tls.mountPath | trimSuffix "/") $k.tls.ca.key | quote }}
{{- end }}
{{- with $k.tls.clientCertificate }}
{{- if .existingSecret }}
AGENT_KAFKA_TLS_CERT_FILE: {{ printf "%s/client/%s" ($k.tls.mountPath | trimSuffix "/") .certKey | quote }}
AGENT_KAFKA_TLS_KEY_FILE: {{ printf "%s/client/%s" ($k.tls.mountPath | trimSuffix "/") .keyKey | quote }}
{{- end }}
{{- end }}
{{- with $k.tls.serverName }}
AGENT_KAFKA_TLS_SERVER_NAME: {{ . | quote }}
{{- end }}
{{- end }}
{{- with $k.sasl }}
{{- if .mechanism }}
AGENT_KAFKA_SASL_MECHANISM: {{ .mechanism | quote }}
AGENT_KAFKA_SASL_USERNAME: {{ .username | quote }}
{{- if eq .password.as "file" }}
AGENT_KAFKA_SASL_PASSWORD_FILE: {{ printf "%s/%s" (.password.mountPath | trimSuffix "/") .password.key | quote }}
{{- end }}
{{- end }}
AGENT_KAFKA_SASL_ALLOW_PLAINTEXT: {{ .allowPlaintext | toString | quote }}
{{- end }}
{{- end }}

{{- define "fleetwave-agent.kafkaPasswordEnv" -}}
{{- with .Values.kafka.sasl }}
{{- if and .mechanism (eq .password.as "env") }}
- name: AGENT_KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .password.existingSecret }}
      key: {{ .password.key }}
{{- end }}
{{- end }}
{{- end }}

{{- define "fleetwave-agent.kafkaVolumeMounts" -}}
{{- $k := .Values.kafka -}}
{{- if $k.tls.enabled }}
{{- if or $k.tls.ca.existingSecret $k.tls.ca.existingConfigMap }}
- name: kafka-ca
  mountPath: {{ printf "%s/ca" ($k.tls.mountPath | trimSuffix "/") }}
  readOnly: true
{{- end }}
{{- if $k.tls.clientCertificate.existingSecret }}
- name: kafka-client-certificate
  mountPath: {{ printf "%s/client" ($k.tls.mountPath | trimSuffix "/") }}
  readOnly: true
{{- end }}
{{- end }}
{{- if and $k.sasl.mechanism (eq $k.sasl.password.as "file") }}
- name: kafka-sasl-password
  mountPath: {{ $k.sasl.password.mountPath }}
  readOnly: true
{{- end }}
{{- end }}

{{- define "fleetwave-agent.kafkaVolumes" -}}
{{- $k := .Values.kafka -}}
{{- if $k.tls.enabled }}
{{- with $k.tls.ca }}
{{- if .existingSecret }}
- name: kafka-ca
  secret:
    secretName: {{ .existingSecret }}
    defaultMode: 0444
    items:
      - key: {{ .key }}
        path: {{ .key }}
{{- else if .existingConfigMap }}
- name: kafka-ca
  configMap:
    name: {{ .existingConfigMap }}
    defaultMode: 0444
    items:
      - key: {{ .key }}
        path: {{ .key }}
{{- end }}
{{- end }}
{{- with $k.tls.clientCertificate }}
{{- if .existingSecret }}
- name: kafka-client-certificate
  secret:
    secretName: {{ .existingSecret }}
    defaultMode: 0440
    items:
      - key: {{ .certKey }}
        path: {{ .certKey }}
      - key: {{ .keyKey }}
        path: {{ .keyKey }}
{{- end }}
{{- end }}
{{- end }}
{{- with $k.sasl }}
{{- if and .mechanism (eq .password.as "file") }}
- name: kafka-sasl-password
  secret:
    secretName: {{ .password.existingSecret }}
    defaultMode: 0440
    items:
      - key: {{ .password.key }}
        path: {{ .password.key }}
{{- end }}
{{- end }}
{{- end }}

{{- define "fleetwave-agent.validateKafka" -}}
{{- $k := .Values.kafka -}}
{{- if $k.sasl.mechanism }}
{{- if not $k.sasl.username }}
{{- fail "kafka.sasl.username is required with kafka.sasl.mechanism" }}
{{- end }}
{{- if not $k.sasl.password.existingSecret }}
{{- fail "kafka.sasl.password.existingSecret is required with kafka.sasl.mechanism (the password only comes from a Secret)" }}
{{- end }}
{{- if and (not $k.tls.enabled) (not $k.sasl.allowPlaintext) }}
{{- fail "kafka.sasl needs kafka.tls.enabled (the password would cross the network in the clear); set kafka.sasl.allowPlaintext to allow it anyway" }}
{{- end }}
{{- end }}
{{- if and (not $k.tls.enabled) (or $k.tls.ca.existingSecret $k.tls.ca.existingConfigMap $k.tls.clientCertificate.existingSecret $k.tls.serverName) }}
{{- fail "kafka.tls.ca, clientCertificate and serverName need kafka.tls.enabled" }}
{{- end }}
{{- end }}
