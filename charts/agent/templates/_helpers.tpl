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
