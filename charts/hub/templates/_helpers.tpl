{{/* Chart name, overridable. */}}
{{- define "fleetwave-hub.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Prefix of every resource name: the release name, plus the chart name unless it already contains it. */}}
{{- define "fleetwave-hub.fullname" -}}
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

{{- define "fleetwave-hub.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels: stable for the life of the release. */}}
{{- define "fleetwave-hub.selectorLabels" -}}
app.kubernetes.io/name: {{ include "fleetwave-hub.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "fleetwave-hub.labels" -}}
helm.sh/chart: {{ include "fleetwave-hub.chart" . }}
{{ include "fleetwave-hub.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/component: hub
app.kubernetes.io/part-of: fleetwave
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "fleetwave-hub.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "fleetwave-hub.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "fleetwave-hub.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}
{{- end }}

{{/* Secret holding HUB_DATABASE_URL. */}}
{{- define "fleetwave-hub.databaseSecretName" -}}
{{- .Values.database.url.existingSecret | default (printf "%s-database" (include "fleetwave-hub.fullname" .)) }}
{{- end }}

{{- define "fleetwave-hub.gitClaimName" -}}
{{- .Values.git.persistence.existingClaim | default (printf "%s-git" (include "fleetwave-hub.fullname" .)) }}
{{- end }}

{{/* Refuse combinations that cannot work. */}}
{{- define "fleetwave-hub.validate" -}}
{{- if and .Values.git.persistence.enabled (gt (int .Values.replicaCount) 1) }}
{{- fail "git.persistence.enabled needs replicaCount 1: replicas must not share one git mirror directory (the mirrors are a cache; use the default emptyDir with several replicas)" }}
{{- end }}
{{- if not (hasPrefix "/" .Values.git.dir) }}
{{- fail "git.dir must be an absolute path (it is where the mirror volume is mounted)" }}
{{- end }}
{{- end }}
