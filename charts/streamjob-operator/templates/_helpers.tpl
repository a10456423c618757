{{- define "streamjob-operator.labels" -}}
app.kubernetes.io/name: streamjob-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}
{{- define "streamjob-operator.selector" -}}
app.kubernetes.io/name: streamjob-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
