/// Placeholder so the module builds; replaced by the server work (issue 3).
public enum WebServerModule {}
