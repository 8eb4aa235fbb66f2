/* outer /* inner */
BEGIN { }
